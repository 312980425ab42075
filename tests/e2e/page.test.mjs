// The admin page end to end: the trunk-built page served by tfe-orgs-server (under its strict
// CSP; the API forwarded to a sandbox or the sandbox in-process), driven in headless Chromium. Each numbered point of the admin page issue has a test below that
// checks what the page shows and, after a write, the sandbox state through the API.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ADMIN, MODE, OWNER, PROVIDERS, RELEASE, TIMEOUT, assertNoCrossOrigin, isModuleWrite, startPageSandbox, unnamedControls, writtenModules } from './support.mjs';

/** axe-core's source, run in the page (an evaluation, so the page's CSP does not apply to it). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let s;
before(async () => { s = await startPageSandbox(); });
after(async () => { await s?.stop(); });
beforeEach(async () => { await s.reset(); });

/** Polls `check` until it holds (5 s at most). */
async function eventually(check) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never held: ${check}`);
}

const row = (page, name) => page.locator('table.orgs tr.row', { has: page.getByRole('link', { name, exact: true }) });
const rowNames = (page) => page.locator('table.orgs tr.row td.name').allTextContents();

test("1. connect: the server's origin, what it reaches, sandbox tokens, admin detection, token kept out of URLs and localStorage, sign out", async () => {
  const { page, log, context } = await s.open();
  await page.goto(s.base + '/');
  // Served by tfe-orgs-server: the instance is fixed to its origin, and the form says what it reaches.
  const reaches = MODE === 'sandbox' ? 'with the sandbox in-process' : `forwards to ${s.sandboxOrigin}`;
  await page.locator('#instance-url-hint', { hasText: reaches }).waitFor();
  assert.equal(await page.locator('#instance-url').inputValue(), `${s.origin}/api/v2`);
  assert.equal(await page.locator('#instance-url').getAttribute('readonly'), '', 'fixed to the server');
  if (MODE === 'sandbox') {
    await page.getByRole('heading', { name: 'This is tfe-sandbox' }).waitFor();
    assert.match(await page.locator('.sandbox-hint').textContent(), /sandbox-admin-token.*site admin/);
  } else {
    assert.equal(await page.locator('.sandbox-hint').count(), 0, 'no sample tokens for a real instance');
  }
  await s.shoot(page, `01-connect-${MODE}`);

  // A wrong token: a banner that says what to do, and the token is in no message.
  await page.locator('#token').fill('not-a-token');
  await page.getByRole('button', { name: 'Connect' }).click();
  const banner = page.getByRole('alert');
  await banner.waitFor();
  assert.match(await banner.textContent(), /rejected the token/);
  assert.doesNotMatch(await banner.textContent(), /not-a-token/);

  // The sample admin token, filled by its button (typed, through a proxy).
  if (MODE === 'sandbox') {
    await page.getByRole('button', { name: /Use the token of site-admin/ }).click();
  } else {
    await page.locator('#token').fill(ADMIN);
  }
  assert.equal(await page.locator('#token').inputValue(), ADMIN);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('heading', { name: 'Organizations', exact: true }).waitFor();
  assert.equal(await page.locator('.badge').textContent(), 'Site admin');
  await page.getByRole('link', { name: 'Sharing audit' }).waitFor();
  // Kept under the instance the server reaches now (what /_tfe-orgs/info names).
  const info = await (await fetch(`${s.origin}/_tfe-orgs/info`)).json();
  const instance = info.mode === 'sandbox' ? 'sandbox' : info.upstream;
  const key = `tfe-orgs.connection@${instance}`;
  const storage = await page.evaluate((k) => ({ session: sessionStorage.getItem(k), local: localStorage.getItem(k) }), key);
  assert.equal(JSON.parse(storage.session).token, ADMIN);
  assert.equal(JSON.parse(storage.session).instance, instance);
  assert.equal(storage.local, null, 'not in localStorage without the opt-in');
  for (const r of log.requests) assert.ok(!r.url.includes(ADMIN), `token in URL ${r.url}`);
  assertNoCrossOrigin(log.requests.map((r) => r.url), s.origin);
  assert.ok(s.apiRequests(log).every((r) => [`Bearer ${ADMIN}`, 'Bearer not-a-token'].includes(r.auth)));

  // A reload keeps the connection (sessionStorage); sign out forgets it.
  await page.reload();
  await page.locator('table.orgs tr.row').first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#token').waitFor();
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), key), null);
  assert.equal(await page.locator('#token').inputValue(), '');
  s.assertClean(log, [401]);
  await context.close();

  // A token that is not a site admin gets the regular Organizations view (the admin API's 404).
  const member = await s.open();
  await member.page.goto(s.base + '/');
  await member.page.locator('#token').fill(OWNER);
  await member.page.locator('#remember').check();
  await member.page.getByRole('button', { name: 'Connect' }).click();
  await member.page.locator('table.orgs tr.row').first().waitFor();
  assert.equal(await member.page.locator('.badge').textContent(), 'Organizations view');
  assert.equal(await member.page.getByRole('link', { name: 'Sharing audit' }).count(), 0);
  assert.equal(await member.page.locator('#producer').count(), 0, 'no admin-only filter');
  const alice = (await s.api('GET', '/organizations?page%5Bsize%5D=100', { token: OWNER })).body.data.map((o) => o.attributes.name);
  assert.deepEqual((await rowNames(member.page)).sort(), alice.slice(0, 20).sort());
  const local = await member.page.evaluate((k) => localStorage.getItem(k), key);
  assert.equal(JSON.parse(local).token, OWNER, 'remembered on this device when opted in');
  // The same port later forwards to another instance: what was kept for the old one is dropped,
  // never sent, and the connect form shows.
  await member.page.evaluate((k) => {
    const kept = JSON.parse(localStorage.getItem(k));
    localStorage.removeItem(k);
    sessionStorage.removeItem(k);
    localStorage.setItem('tfe-orgs.connection@https://production.example', JSON.stringify({ ...kept, instance: 'https://production.example' }));
  }, key);
  const sentBefore = s.apiRequests(member.log).length;
  await member.page.reload();
  await member.page.locator('#token').waitFor();
  await member.page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('tfe-orgs.connection')));
  assert.equal(await member.page.locator('#token').inputValue(), '', 'the other instance\'s token is not offered');
  assert.equal(s.apiRequests(member.log).length, sentBefore, 'nor sent');
  await s.shoot(member.page, '02-organizations-member');
  s.assertClean(member.log, [404]);
  await member.context.close();
});

test('1b. connect before the server has said what it reaches: a reload still restores the session', async () => {
  const { page, log, context } = await s.open();
  // The server's info answers late, so Connect is clicked while the connect page still waits
  // for it (a race that made a reload forget the session one run in three).
  await page.route('**/_tfe-orgs/info', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await page.goto(s.base + '/');
  await page.locator('#token').fill(ADMIN);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('table.orgs tr.row').first().waitFor();
  const listed = page.waitForResponse((r) => r.url().includes('/api/v2/admin/organizations?') && r.status() === 200);
  await page.reload();
  await listed;
  await page.locator('table.orgs tr.row').first().waitFor();
  assert.equal(await page.locator('#token').count(), 0, 'the session was restored, not asked for again');
  s.assertClean(log);
  await context.close();
});

test('2. list: search, advanced search, producer filter, page size, pages, status counts, URL state, load all, export', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  const meta = (await s.api('GET', '/admin/organizations?page%5Bsize%5D=20')).body.meta;
  const counts = await page.locator('.counts').textContent();
  assert.match(counts, new RegExp(`${meta['status-counts'].total} total.*${meta['status-counts'].active} active.*${meta['status-counts'].disabled} disabled`));
  assert.equal(await page.locator('table.orgs tr.row').count(), 20);
  assert.equal(await row(page, 'hashicorp').locator('td').last().textContent(), 'alice@example.com', 'owners included');
  await s.shoot(page, '03-organizations');

  // q: the URL follows, the rows are what the API answers.
  await page.locator('#q').fill('acme');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/orgs\?q=acme$/);
  await page.locator('.result-info', { hasText: 'Page 1 of 1' }).waitFor();
  const acme = (await s.api('GET', '/admin/organizations?q=acme')).body.data.map((o) => o.attributes.name);
  assert.deepEqual(await rowNames(page), acme);
  assert.ok(s.apiRequests(log, 'GET').some((r) => r.url.includes('q=acme')));

  // Status count as a filter.
  await page.getByRole('button', { name: /disabled/ }).click();
  await page.waitForURL(/status=disabled/);
  assert.deepEqual(await rowNames(page), ['acme-legacy']);
  await page.getByRole('button', { name: /total/ }).click();

  // Advanced: name AND email.
  await page.locator('#q').fill('');
  await page.locator('summary', { hasText: 'Advanced search' }).click();
  await page.locator('#q-name').fill('acme');
  await page.locator('#q-email').fill('data');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/name=acme&email=data/);
  await page.locator('.result-info', { hasText: /· 1 organizations/ }).waitFor();
  assert.deepEqual(await rowNames(page), ['acme-data']);
  assert.ok(s.apiRequests(log, 'GET').some((r) => r.url.includes('q%5Bname%5D=acme&q%5Bemail%5D=data')));

  // Back restores the previous search; reload keeps the current one.
  await page.goBack();
  await page.waitForURL(/\/orgs\?q=acme/);
  // "Page 1 of 1" is on screen from the search before too: wait for this result's own count.
  await page.locator('.result-info', { hasText: `Page 1 of 1 · ${acme.length} organizations` }).waitFor();
  assert.equal(await page.locator('#q').inputValue(), 'acme');
  assert.deepEqual(await rowNames(page), acme);
  await page.reload();
  await page.locator('table.orgs tr.row').first().waitFor();
  assert.equal(await page.locator('#q').inputValue(), 'acme');
  assert.deepEqual(await rowNames(page), acme);

  // Producer filter, then page size and paging.
  await page.goto(s.base + '/orgs');
  await page.locator('table.orgs tr.row').first().waitFor();
  await page.locator('#producer').selectOption('sharing');
  await page.waitForURL(/producer=sharing/);
  await page.locator('.result-info', { hasText: /Page 1 of 1/ }).waitFor();
  const producers = (await s.api('GET', '/admin/organizations?filter%5Bmodule_producer%5D=true&page%5Bsize%5D=100')).body.data.map((o) => o.attributes.name);
  assert.deepEqual((await rowNames(page)).sort(), producers.sort());
  await page.locator('#producer').selectOption('any');
  await page.locator('#page-size').selectOption('50');
  await page.waitForURL(/size=50/);
  await page.locator('.result-info', { hasText: 'Page 1 of 1 · 30' }).waitFor();
  assert.equal(await page.locator('table.orgs tr.row').count(), 30);
  await page.locator('#page-size').selectOption('20');
  await page.locator('.result-info', { hasText: 'Page 1 of 2' }).waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL(/page=2/);
  await page.locator('.result-info', { hasText: 'Page 2 of 2' }).waitFor();
  assert.equal(await page.locator('table.orgs tr.row').count(), 10);
  assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled());

  // Export of page 2 of 2: one page of a longer result, so named and marked as partial.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export page CSV' }).click()]);
  assert.equal(csv.suggestedFilename(), 'organizations-page-2-of-2.csv');
  const csvText = readFileSync(await csv.path(), 'utf8');
  const lines = csvText.trim().split('\r\n');
  assert.equal(lines[0], '# partial: page 2 of 2, 10 of 30 organizations; Load all, then export, for every one');
  assert.equal(lines[1], 'Name,Notification email,External id,Disabled,Share private modules with every organization,Owners');
  assert.equal(lines.length, 12);
  assert.deepEqual(lines.slice(2).map((l) => l.split(',')[0]), await rowNames(page));
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export page JSON' }).click()]);
  const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.deepEqual(exported.partial, { page: 2, pages: 2, organizations: 30, exported: 10 });
  assert.equal(exported.organizations.length, 10);
  assert.equal(typeof exported.organizations[0]['external-id'], 'string');
  s.assertClean(log);
  await context.close();
});

test('2. load all: progress "N of M", thousands of rows rendered virtualized, then exported', async () => {
  const big = await startPageSandbox(['--generate', '3000']);
  try {
    const { page, log } = await big.open();
    await big.connect(page);
    await big.faults({ 'latency-ms': 40 });
    await page.getByRole('button', { name: 'Load all 3,030' }).click();
    await page.locator('.progress [role="status"]', { hasText: / of 3,030$/ }).waitFor();
    await page.locator('.result-info', { hasText: 'All 3,030 organizations loaded' }).waitFor({ timeout: 60000 });
    const rendered = await page.locator('table.orgs tr.row').count();
    assert.ok(rendered > 10 && rendered < 120, `virtualized: ${rendered} rows in the DOM`);
    assert.equal(await page.locator('table.orgs').getAttribute('aria-rowcount'), '3031');
    await big.shoot(page, '04-load-all');
    // Scroll to the end: the last organization is rendered.
    await page.locator('.table-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.getByRole('link', { name: 'generated-03000', exact: true }).waitFor();
    // All loaded: the export holds every organization the instance has, plainly named.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV', exact: true }).click()]);
    assert.equal(csv.suggestedFilename(), 'organizations.csv');
    const exportedNames = readFileSync(await csv.path(), 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]).sort();
    const instance = [];
    for (let n = 1; n <= 31; n++) {
      instance.push(...(await big.api('GET', `/admin/organizations?page%5Bnumber%5D=${n}&page%5Bsize%5D=100`)).body.data.map((o) => o.attributes.name));
    }
    assert.deepEqual(exportedNames, instance.sort());
    assert.ok(big.apiRequests(log, 'GET').filter((r) => r.url.includes('page%5Bsize%5D=100')).length >= 31);
    big.assertClean(log);
  } finally {
    await big.stop();
  }
});

test('3. detail: an admin\'s words first, the editors within the first screen, every raw attribute collapsed, owners, entitlements, producers and consumers with links', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  await page.getByRole('link', { name: 'acme-networking', exact: true }).click();
  await page.waitForURL(/\/orgs\/acme-networking$/);
  await page.getByRole('heading', { name: 'At a glance', exact: true }).waitFor();
  const org = (await s.api('GET', '/organizations/acme-networking')).body.data;
  const admin = (await s.api('GET', '/admin/organizations/acme-networking')).body.data;
  // At a glance: status, email, plan, owners, sharing, in words.
  const glance = await page.locator('dl.glance-facts').textContent();
  assert.match(glance, new RegExp(`Status${admin.attributes['is-disabled'] ? 'Disabled' : 'Active'}`));
  assert.ok(glance.includes(`Email${org.attributes.email}`), glance);
  for (const label of ['Plan', 'Owners', 'Shares modules with', 'Uses modules from']) assert.ok(glance.includes(label), `${label} in ${glance}`);
  assert.equal(glance.includes('Shares providers with'), PROVIDERS, 'provider sharing only where the instance has it');
  // The editors an admin came for are within the first screen (1440 × 900).
  const editor = page.locator('form.editor').first();
  await editor.waitFor();
  assert.ok((await editor.boundingBox()).y < 900, 'the admin settings editor starts within the first screen');
  // Settings under their labels, values in words; no raw key outside the collapsed section.
  const settings = page.locator('section[aria-labelledby="settings-title"]');
  const costEstimation = org.attributes['cost-estimation-enabled'] ? 'On' : 'Off';
  assert.ok((await settings.locator('dl.settings').textContent()).includes(`Cost estimation${costEstimation}`));
  assert.doesNotMatch(await settings.textContent(), /cost-estimation-enabled|plan-is-enterprise|permissions/);
  const raw = page.locator('details.raw-attributes');
  assert.equal(await raw.getAttribute('open'), null, 'raw attributes start collapsed');
  await raw.locator('summary').click();
  const terms = await raw.locator('dl.attributes').first().locator('dt').allTextContents();
  for (const key of Object.keys(org.attributes)) assert.ok(terms.includes(key), `attribute ${key} shown`);
  assert.match(await page.locator('ul.owners').textContent(), /alice@example\.com/);
  const producers = (await s.api('GET', '/organizations/acme-networking/relationships/module-producers')).body.data.map((o) => o.attributes.name);
  for (const p of producers) await page.locator('ul.links').getByRole('link', { name: p, exact: true }).first().waitFor();
  assert.match(await page.locator('dl.entitlements').textContent(), /Private module registry\s*Yes/);
  await s.shoot(page, '05-detail');
  // acme-payments consumes both its modules and its providers: the module consumers' link.
  const moduleConsumers = page.getByRole('list', { name: 'Module consumers' });
  await moduleConsumers.getByRole('link', { name: 'acme-payments', exact: true }).click();
  await page.waitForURL(/\/orgs\/acme-payments$/);
  await page.getByRole('heading', { name: 'acme-payments', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'At a glance', exact: true }).waitFor();
  s.assertClean(log);
  await context.close();
});

test('3b. the organization page for an admin: axe-core finds nothing at 1440 and 375 px, and the editors are reached by keyboard alone', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  await page.goto(s.base + '/orgs/acme-networking');
  await page.locator('form.editor').first().waitFor();
  await page.locator('details.raw-attributes summary').click();
  const axe = async () => {
    await page.evaluate(AXE);
    const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
    return found.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  };
  assert.deepEqual(await axe(), [], 'axe-core at 1440 px');
  await page.setViewportSize({ width: 375, height: 800 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'nothing overflows at 375 px');
  assert.deepEqual(await axe(), [], 'axe-core at 375 px');
  await page.setViewportSize({ width: 1440, height: 900 });
  // Keyboard only: from the page's top, Tab reaches the admin settings editor's first control.
  await page.reload();
  const first = page.locator('form.editor input').first();
  await first.waitFor();
  const id = await first.getAttribute('id');
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((want) => document.activeElement?.id === want, id);
  }
  assert.ok(reached, `Tab reaches #${id}`);
  await page.keyboard.press('Space');
  await page.locator('section.diff', { hasNotText: 'No changes.' }).waitFor();
  s.assertClean(log);
  await context.close();
});

test('4. admin settings: validated as you type, diff before saving, PATCH with only the changed fields', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  await page.goto(s.base + '/orgs/acme-data');
  const plan = page.locator('#plan-timeout');
  const planDefault = page.locator('#plan-timeout-default');
  await plan.waitFor();
  // acme-data has no plan timeout of its own: the instance default is chosen, the input is off.
  assert.ok(await planDefault.isChecked());
  assert.ok(await plan.isDisabled());
  await planDefault.uncheck();
  assert.match(await page.locator('#plan-timeout-error').textContent(), /instance default/);
  await plan.fill('soon');
  assert.match(await page.locator('#plan-timeout-error').textContent(), /duration/);
  assert.ok(await page.getByRole('button', { name: 'Save admin settings' }).isDisabled());
  await plan.fill('90m');
  assert.equal(await page.locator('#plan-timeout-error').textContent(), '');
  await page.locator('#is-disabled').check();
  const diff = await page.locator('section.diff').textContent();
  assert.match(diff, /Disabled: Off → On/);
  // "Instance default" says which: the general settings' 2h.
  assert.match(diff, /Plan timeout: Instance default \(2h\) → 90m/);
  assert.equal(await page.getByLabel('Use the instance default apply timeout (24h)').count(), 1);
  await s.shoot(page, '06-admin-settings');
  await page.getByRole('button', { name: 'Save admin settings' }).click();
  await page.locator('.flash', { hasText: 'Admin settings saved.' }).waitFor();
  const patches = s.apiRequests(log, 'PATCH');
  assert.equal(patches.length, 1);
  // Under the names this release's answers use (current-tfe.md).
  assert.deepEqual(JSON.parse(patches[0].body).data.attributes, { 'is-disabled': true, [TIMEOUT.plan]: '90m' });
  const after = (await s.api('GET', '/admin/organizations/acme-data')).body.data.attributes;
  assert.equal(after['is-disabled'], true);
  assert.equal(after[TIMEOUT.plan], '90m');
  assert.equal(after['access-beta-tools'], false, 'untouched');

  // Back to the instance default: the PATCH sends null and the instance stores none.
  await planDefault.check();
  assert.ok(await plan.isDisabled());
  assert.match(await page.locator('section.diff').textContent(), /Plan timeout: 90m → Instance default \(2h\)/);
  const answered = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v2/'));
  await page.getByRole('button', { name: 'Save admin settings' }).click();
  assert.equal((await answered).status(), 200);
  await page.locator('section.diff', { hasText: 'No changes.' }).waitFor();
  const clear = s.apiRequests(log, 'PATCH')[1];
  assert.deepEqual(JSON.parse(clear.body).data.attributes, { [TIMEOUT.plan]: null });
  const cleared = (await s.api('GET', '/admin/organizations/acme-data')).body.data.attributes;
  assert.equal(cleared[TIMEOUT.plan], null);
  assert.equal(cleared['is-disabled'], true, 'untouched');
  assert.ok(await planDefault.isChecked(), 'the form shows what was saved');
  s.assertClean(log);
  await context.close();
});

test('5. module sharing: three modes, search-as-you-type picker, chips, gain/lose summary, no transient over-sharing', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  // platform-core shares with everyone; move it to two specific organizations.
  await page.goto(s.base + '/orgs/platform-core');
  await page.locator('#sharing-all').waitFor();
  // The Modules tab (the Providers editor is mounted too, hidden).
  const mods = page.locator('[role="tabpanel"][aria-labelledby="tab-modules"]');
  assert.ok(await page.locator('#sharing-all').isChecked());
  await page.locator('#sharing-specific').check();
  await page.locator('#consumer-search').pressSequentially('acme-pay');
  await page.getByRole('button', { name: 'Add acme-payments' }).click();
  await page.locator('#consumer-search').fill('');
  await page.locator('#consumer-search').pressSequentially('glob');
  await page.getByRole('button', { name: 'Add globex-apps' }).click();
  assert.ok(s.apiRequests(log, 'GET').some((r) => r.url.includes('q%5Bname%5D=acme-pay')), 'searched q[name]');
  assert.deepEqual(await mods.locator('ul.chips li').allTextContents(), ['acme-payments×', 'globex-apps×']);
  assert.match(await mods.locator('section.summary').textContent(), /Every organization loses access except 2 organizations\./);
  assert.deepEqual(await mods.locator('section.summary ul[aria-label="Keep access"] li').allTextContents(), ['acme-payments', 'globex-apps']);
  await s.shoot(page, '07-module-sharing');
  const writesBefore = s.apiRequests(log).filter((r) => r.method !== 'GET').length;
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  await page.locator('.flash', { hasText: 'Module sharing saved.' }).waitFor();
  const writes = s.apiRequests(log).filter((r) => r.method !== 'GET').slice(writesBefore);
  assert.equal(writes.length, 1, 'setting consumers turns global sharing off: one write');
  // Through the call this release has: registry-partnerships, else the relationship.
  assert.ok(isModuleWrite(writes[0], 'platform-core'), `${writes[0].method} ${writes[0].url}`);
  assert.deepEqual(writtenModules(writes[0].body).sort(), ['acme-payments', 'globex-apps']);
  const consumers = (await s.api('GET', '/admin/organizations/platform-core/relationships/module-consumers')).body.data.map((o) => o.attributes.name);
  assert.deepEqual(consumers.sort(), ['acme-payments', 'globex-apps']);
  assert.equal((await s.api('GET', '/admin/organizations/platform-core')).body.data.attributes['global-module-sharing'], false);

  // Remove one chip, add none: the summary names who loses access.
  await page.getByRole('button', { name: 'Remove globex-apps' }).click();
  assert.match(await mods.locator('section.summary').textContent(), /1 organization loses access\./);
  assert.deepEqual(await mods.locator('section.summary ul[aria-label="Lose access"] li').allTextContents(), ['globex-apps']);
  // Then share with nobody.
  await page.locator('#sharing-none').check();
  assert.match(await mods.locator('section.summary').textContent(), /2 organizations lose access\./);
  assert.deepEqual(await mods.locator('section.summary ul[aria-label="Lose access"] li').allTextContents(), ['acme-payments', 'globex-apps']);
  // "Module sharing saved." is still on screen from the first save: wait for this save's own
  // write to be answered, then for the state it sets.
  const cleared = page.waitForResponse((r) => isModuleWrite(r.request(), 'platform-core'));
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  assert.ok((await cleared).ok(), 'the write that clears the consumers succeeded');
  await eventually(async () => (await s.api('GET', '/admin/organizations/platform-core/relationships/module-consumers')).body.data.length === 0);
  await page.locator('#sharing-none:checked').waitFor();
  // And with everyone.
  await page.locator('#sharing-all').check();
  assert.match(await mods.locator('section.summary').textContent(), /Every organization on this instance gains access\./);
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  await page.getByRole('button', { name: 'Save module sharing' }).and(page.locator(':disabled')).waitFor();
  await eventually(async () => (await s.api('GET', '/admin/organizations/platform-core')).body.data.attributes['global-module-sharing'] === true);
  s.assertClean(log);
  await context.close();
});

test('6. create, update and delete with every attribute and cross-field rules as you type', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  await page.getByRole('link', { name: 'New organization' }).first().click();
  await page.locator('#name').fill('bad name');
  assert.match(await page.locator('#name-error').textContent(), /whitespace/);
  await page.locator('#name').fill('e2e-created');
  await page.locator('#email').fill('not-an-email');
  assert.match(await page.locator('#email-error').textContent(), /email/);
  await page.locator('#email').fill('ops@e2e.example.com');
  await page.locator('#session-timeout').fill('30');
  await page.locator('#collaborator-auth-policy').selectOption('two_factor_mandatory');
  // TFE holds send-passing-statuses… at false: the form does not offer it.
  assert.equal(await page.locator('#send-passing-statuses-for-untriggered-speculative-plans').count(), 0);
  await page.locator('#aggregated-commit-status-enabled').check();
  assert.equal(await page.locator('#aggregated-commit-status-enabled-error').textContent(), '');
  await page.locator('#default-execution-mode').selectOption('agent');
  assert.match(await page.locator('#default-agent-pool-id-error').textContent(), /required/);
  await page.locator('#default-agent-pool-id').fill('apool-e2e');
  await s.shoot(page, '08-create');
  const postsBefore = s.apiRequests(log, 'POST').length;
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(/\/orgs\/e2e-created$/);
  assert.equal(s.apiRequests(log, 'POST').length, postsBefore + 1);
  const created = (await s.api('GET', '/organizations/e2e-created')).body.data;
  assert.equal(created.attributes.email, 'ops@e2e.example.com');
  assert.equal(created.attributes['session-timeout'], 30);
  assert.equal(created.attributes['collaborator-auth-policy'], 'two_factor_mandatory');
  assert.equal(created.attributes['aggregated-commit-status-enabled'], true);
  assert.equal(created.attributes['default-execution-mode'], 'agent');
  assert.equal(created.relationships['default-agent-pool'].data.id, 'apool-e2e');

  // Update: only the changed field travels.
  await page.getByRole('link', { name: 'Edit or delete' }).click();
  await page.locator('#email').waitFor();
  assert.equal(await page.locator('#email').inputValue(), 'ops@e2e.example.com');
  assert.ok(await page.getByRole('button', { name: 'Save changes' }).isDisabled(), 'nothing changed yet');
  await page.locator('#email').fill('platform@e2e.example.com');
  await s.shoot(page, '09-edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const patch = s.apiRequests(log, 'PATCH').at(-1);
  assert.deepEqual(JSON.parse(patch.body).data.attributes, { email: 'platform@e2e.example.com' });
  assert.equal((await s.api('GET', '/organizations/e2e-created')).body.data.attributes.email, 'platform@e2e.example.com');

  // Delete: the section opens on request and says who loses access; only after typing the name.
  await page.getByRole('button', { name: 'Delete this organization…' }).click();
  const impact = page.locator('section.impact', { hasText: 'No other organization loses access' });
  await impact.waitFor();
  // It can use the modules of every producer that shares globally: named before it goes.
  const globalProducers = (await s.api('GET', '/organizations/e2e-created/relationships/module-producers?page%5Bsize%5D=100')).body.data.map((o) => o.attributes.name);
  assert.ok(globalProducers.length > 0);
  assert.match(await impact.textContent(), new RegExp(`uses the private modules of ${globalProducers.length} organization`));
  for (const p of globalProducers) await impact.getByRole('link', { name: p, exact: true }).waitFor();
  const del = page.getByRole('button', { name: 'Delete organization', exact: true });
  assert.ok(await del.isDisabled());
  await page.locator('#confirm-name').fill('e2e-create');
  assert.ok(await del.isDisabled());
  await page.locator('#confirm-name').fill('e2e-created');
  await del.click();
  await page.waitForURL(/\/orgs$/);
  assert.equal((await s.api('GET', '/organizations/e2e-created')).status, 404);
  s.assertClean(log);
  await context.close();
});

test('7. sharing audit: producers table against the API, filters, questions, a picture of a selection, edges exported, reused until Refresh', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  await page.getByRole('link', { name: 'Sharing audit' }).click();
  const table = page.locator('table.audit');
  await table.waitFor();
  // Every producer, with its mode and consumers, as the API answers.
  const producers = (await s.api('GET', '/admin/organizations?filter%5Bmodule_producer%5D=true&page%5Bsize%5D=100')).body.data;
  const expected = new Map();
  for (const o of producers) {
    const name = o.attributes.name;
    expected.set(name, o.attributes['global-module-sharing'] ? null
      : (await s.api('GET', `/admin/organizations/${name}/relationships/module-consumers?page%5Bsize%5D=100`)).body.data.map((c) => c.attributes.name));
  }
  assert.equal(await table.locator('tr.producer-row').count(), expected.size);
  for (const [name, consumers] of expected) {
    const row = table.locator(`tr.producer-row[data-producer="${name}"]`);
    assert.equal(await row.locator('td.mode').textContent(), consumers ? 'specific' : 'global', name);
    assert.equal(await row.locator('td.count').textContent(), consumers ? String(consumers.length) : 'every organization', name);
  }
  // Filters: shares globally; shares with more than N; a name.
  await page.locator('#audit-global').check();
  await page.locator(`.result-info[data-rows="${[...expected.values()].filter((c) => c === null).length}"]`).waitFor();
  await page.locator('#audit-global').uncheck();
  await page.locator('#audit-more').fill('1');
  const many = [...expected].filter(([, c]) => c === null || c.length > 1).length;
  await page.locator(`.result-info[data-rows="${many}"]`).waitFor();
  await page.locator('#audit-more').fill('');
  await page.locator(`.result-info[data-rows="${expected.size}"]`).waitFor();
  // Who can use the modules of X (from what was read); whose modules can X use (the API).
  const specific = [...expected].find(([, c]) => c && c.length > 0);
  await page.locator('#who-uses').fill(specific[0]);
  await page.locator('form.question', { has: page.locator('#who-uses') }).getByRole('button', { name: 'Ask' }).click();
  assert.equal(await page.locator('[data-answer="users"]').textContent(), `${specific[0]}: ${specific[1].join(', ')}`);
  await page.locator('#whose').fill('hashicorp');
  await page.locator('form.question', { has: page.locator('#whose') }).getByRole('button', { name: 'Ask' }).click();
  const mine = (await s.api('GET', '/organizations/hashicorp/relationships/module-producers')).body.data.map((o) => o.attributes.name);
  await page.locator('[data-answer="producers"]').waitFor();
  assert.equal(await page.locator('[data-answer="producers"]').textContent(), `hashicorp: ${mine.join(', ')}`);
  // The picture of a selection: its producers, their edges; a node opens its organization.
  const svg = page.locator('svg.sharing-map');
  assert.equal(await svg.count(), 0, 'nothing drawn before a selection');
  const global = [...expected].find(([, c]) => c === null)[0];
  for (const name of ['hc-nomad', global]) await page.getByRole('checkbox', { name: `Draw ${name}`, exact: true }).check();
  await svg.waitFor();
  assert.equal(await svg.locator('g.producers g.node').count(), 2);
  assert.equal(await svg.locator('g.node.producer.global').count(), 1);
  assert.equal(await svg.locator('line.edge').count(), expected.get('hc-nomad').length + 1);
  await s.shoot(page, '10-sharing-audit');
  // Every edge as CSV and JSON.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export edges CSV' }).click()]);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'Producer,Consumer,Kind');
  const want = [...expected].flatMap(([p, c]) => (c === null ? [`${p},*,global`] : c.map((x) => `${p},${x},specific`))).sort();
  assert.deepEqual(lines.slice(1).sort(), want);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export edges JSON' }).click()]);
  assert.equal(JSON.parse(readFileSync(await json.path(), 'utf8')).length, want.length);
  await svg.getByRole('link', { name: 'Open hc-nomad' }).click();
  await page.waitForURL(/\/orgs\/hc-nomad$/);
  await page.getByRole('heading', { name: 'At a glance', exact: true }).waitFor();
  // A second visit reuses what was read: no request for consumers until Refresh.
  const before = s.apiRequests(log, 'GET').length;
  await page.goBack();
  await table.waitFor();
  assert.equal(s.apiRequests(log, 'GET').length, before, 'read once per session');
  const reread = page.waitForResponse((r) => r.url().includes('filter%5Bmodule_producer%5D=true'));
  await page.getByRole('button', { name: 'Refresh' }).click();
  await reread;
  await table.waitFor();
  assert.ok(s.apiRequests(log, 'GET').length > before, 'Refresh reads again');
  s.assertClean(log);
  await context.close();
});

test('7b. sharing audit of a big instance: the edges export waits for every name, then holds every edge the instance has', async () => {
  const big = await startPageSandbox(['--generate', '1500']);
  try {
    const { page, log } = await big.open();
    await big.connect(page);
    await big.faults({ 'latency-ms': 30 });
    // The consumer names are held back until the test has looked: a current release draws the
    // table from the counts first, and nothing may export while the names are still coming.
    let release;
    const held = new Promise((r) => { release = r; });
    const consumers = /relationships\/module-consumers/;
    await page.route(consumers, async (route) => { await held; await route.fallback(); });
    await page.getByRole('link', { name: 'Sharing audit' }).click();
    const exportCsv = page.getByRole('button', { name: 'Export edges CSV' });
    if (RELEASE === 'current') {
      await page.locator('.progress', { hasText: 'reading the names' }).waitFor();
      await page.locator('table.audit tr.producer-row').first().waitFor();
      assert.ok(await exportCsv.isDisabled(), 'no export while the names are read');
      assert.ok(await page.getByRole('button', { name: 'Export edges JSON' }).isDisabled());
    }
    // From here on the held requests and every later one go on (the route stays, passing through).
    release();
    await page.locator('table.audit').waitFor();
    // Clicked the moment it is enabled.
    const [csv] = await Promise.all([page.waitForEvent('download'), exportCsv.click()]);
    const exported = readFileSync(await csv.path(), 'utf8').trim().split('\r\n').slice(1).sort();
    await big.faults({});
    const all = async (path) => {
      const items = [];
      for (let n = 1; ; n++) {
        const body = (await big.api('GET', `${path}${path.includes('?') ? '&' : '?'}page%5Bnumber%5D=${n}&page%5Bsize%5D=100`)).body;
        items.push(...body.data);
        if (!body.meta?.pagination?.['next-page']) return items;
      }
    };
    const want = [];
    for (const o of await all('/admin/organizations?filter%5Bmodule_producer%5D=true')) {
      const name = o.attributes.name;
      if (o.attributes['global-module-sharing']) want.push(`${name},*,global`);
      else for (const c of await all(`/admin/organizations/${name}/relationships/module-consumers`)) want.push(`${name},${c.attributes.name},specific`);
    }
    assert.ok(want.length > 100, `a sizeable audit: ${want.length} edges`);
    assert.deepEqual(exported, want.sort());
    big.assertClean(log);
  } finally {
    await big.stop();
  }
});

test('8. errors and drafts: 422 beside its field with the draft kept, banners for 404/429/5xx, loading states, aborts on navigation', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  // 422: a taken name; every field keeps what was typed.
  await page.goto(s.base + '/orgs/new');
  await page.locator('#name').fill('hashicorp');
  await page.locator('#email').fill('dup@example.com');
  await page.locator('#session-remember').fill('45');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.locator('#name-error', { hasText: /taken/ }).waitFor();
  assert.equal(await page.locator('#name').inputValue(), 'hashicorp');
  assert.equal(await page.locator('#email').inputValue(), 'dup@example.com');
  assert.equal(await page.locator('#session-remember').inputValue(), '45');
  assert.match(await page.getByRole('alert').first().textContent(), /refused the change/);
  await s.shoot(page, '11-error-422');

  // 5xx on save: banner, draft kept.
  await page.goto(s.base + '/orgs/acme-data');
  await page.locator('#apply-timeout-default').uncheck();
  await page.locator('#apply-timeout').fill('3h');
  await s.faults({ 'error-rate': 1 });
  await page.getByRole('button', { name: 'Save admin settings' }).click();
  // Every answer to the PATCH was a 503: it may or may not have been applied, and the page says so.
  await page.locator('.banner.error', { hasText: 'the instance may have applied this change' }).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#apply-timeout').inputValue(), '3h');
  await s.faults({});

  // 404: a missing organization.
  await page.goto(s.base + '/orgs/no-such-org');
  await page.locator('.banner.error', { hasText: 'Not found.' }).waitFor();

  // 429 beyond every retry: a banner that says when to retry.
  await page.goto(s.base + '/orgs');
  await page.locator('table.orgs tr.row').first().waitFor();
  await s.faults({ 'rate-limit': 0 });
  await page.locator('#q').fill('acme');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('.banner.error', { hasText: 'Too many requests' }).waitFor({ timeout: 30000 });
  await s.faults({});

  // Loading state, then navigation away aborts the pending request.
  await s.faults({ 'latency-ms': 3000 });
  const failedBefore = log.failed.length;
  await page.goto(s.base + '/orgs/acme-payments');
  await page.getByRole('status').filter({ hasText: 'Loading the organization…' }).waitFor();
  await page.getByRole('link', { name: 'Organizations', exact: true }).first().click();
  await page.waitForURL(/\/orgs$/);
  await page.getByRole('status').filter({ hasText: 'Loading organizations…' }).waitFor();
  await page.waitForFunction(() => true);
  const aborted = log.failed.slice(failedBefore).filter((f) => f.url.includes('/api/v2/') && /ABORTED/.test(f.error));
  assert.ok(aborted.some((f) => f.url.includes('acme-payments')), `aborted on navigation: ${JSON.stringify(log.failed)}`);
  await s.faults({});
  s.assertClean(log, [401, 404, 422, 429, 503]);
  await context.close();
});

test('9. quality: keyboard only, accessible names, 375 px, no console errors, names and emails inert', async () => {
  const { page, log, context } = await s.open();
  // Keyboard only: connect, search, open an organization.
  await page.goto(s.base + '/');
  await page.locator('#instance-url').waitFor();
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // instance URL
  await page.keyboard.press('Tab'); // token
  await page.keyboard.type(ADMIN);
  await page.keyboard.press('Enter');
  await page.locator('table.orgs tr.row').first().waitFor();
  await page.locator('#q').focus();
  await page.keyboard.type('initech-ml');
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=initech-ml/);
  await page.locator('.result-info', { hasText: 'Page 1 of 1 · 1 ' }).waitFor();
  await page.getByRole('link', { name: 'initech-ml', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/orgs\/initech-ml$/);
  await page.getByRole('heading', { name: 'At a glance', exact: true }).waitFor();
  assert.deepEqual(await unnamedControls(page), [], 'detail page');
  for (const path of ['/orgs', '/orgs/new', '/orgs/initech-ml/edit', '/sharing-map']) {
    await page.goto(s.base + path);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await unnamedControls(page), [], path);
  }

  // Hostile names and emails in the state render as text.
  const state = await s.control('GET', 'state');
  const org = state.orgs.find((o) => o.attributes.name === 'hashicorp');
  org.attributes.name = '<img src=x onerror=alert(1)>';
  org.attributes.email = '"><script>alert(2)</script>@x.io';
  await s.control('PUT', 'state', state);
  await page.goto(s.base + '/orgs?q=img');
  const cell = page.locator('table.orgs tr.row td.name').first();
  await cell.waitFor();
  assert.equal(await cell.textContent(), '<img src=x onerror=alert(1)>');
  assert.equal(await page.locator('table.orgs img, table.orgs script').count(), 0);
  await page.goto(s.base + '/orgs?q=script');
  await page.locator('table.orgs tr.row').first().waitFor();
  assert.equal(await page.locator('table.orgs tr.row td.email').first().textContent(), '"><script>alert(2)</script>@x.io');
  await page.goto(s.base + '/sharing-map');
  await page.locator('table.audit').waitFor();
  await s.shoot(page, '12-hostile-names');
  assert.equal(await page.locator('img').count(), 0);
  s.assertClean(log);
  await context.close();
});

test('10. lost answers: a save applied but answered 502/503 or cut off says so, re-reads, keeps the draft', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  const admin = async () => (await s.api('GET', '/admin/organizations/acme-networking')).body.data.attributes;
  await page.goto(s.base + '/orgs/acme-networking');
  const beta = page.locator('#access-beta-tools');
  await beta.waitFor();
  const before = (await admin())['access-beta-tools'];
  if (before) await beta.uncheck(); else await beta.check();
  assert.match(await page.locator('section.diff').textContent(), /Access beta tools/);
  await s.faults({ 'lost-rate': 1 });
  await page.getByRole('button', { name: 'Save admin settings' }).click();
  // Applied, every answer lost: the banner says it may have been applied, the page reads the
  // organization again, and against what the instance holds the draft has nothing left to save.
  await page.locator('.banner.error[data-kind="OutcomeUnknown"]').waitFor({ timeout: 20000 });
  await page.locator('section.diff', { hasText: 'No changes.' }).waitFor({ timeout: 20000 });
  await page.locator('.flash', { hasText: 'Read again after the lost answer' }).waitFor();
  assert.equal(await beta.isChecked(), !before, 'the draft is kept');
  assert.equal((await admin())['access-beta-tools'], !before, 'the change was applied');

  // A create whose answer is lost is not sent twice; the page finds it was applied.
  await page.goto(s.base + '/orgs/new');
  await page.locator('#name').fill('lost-answer-org');
  await page.locator('#email').fill('lost@example.com');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.locator('[data-outcome="created"]').waitFor({ timeout: 20000 });
  await s.faults({});
  assert.equal(s.apiRequests(log, 'POST').length, 1, 'one create request');
  assert.equal(await page.locator('#name').inputValue(), 'lost-answer-org', 'the draft is kept');
  await page.locator('[data-outcome="created"]').getByRole('link', { name: 'Open it' }).click();
  await page.waitForURL(/\/orgs\/lost-answer-org$/);
  const state = await s.control('GET', 'state');
  assert.equal(state.orgs.filter((o) => o.attributes.name === 'lost-answer-org').length, 1);
  // The lost answers show in the console as failed loads (502, 503, a cut connection); nothing else.
  assert.deepEqual(log.errors, [], 'page errors');
  // (An older release also answers 404 to the read that finds out it has no provider sharing.)
  const other = log.console.filter((m) => m.type === 'error' && !/status of 50[23]|net::ERR_/.test(m.text) && (PROVIDERS || !/status of 404/.test(m.text)));
  assert.deepEqual(other, [], 'console errors');
  await context.close();
});

test('11. bulk changes: a filtered selection kept across pages, review, typed count, progress, results, retry failed after 5xx, CSV', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  const adminOrg = async (name) => (await s.api('GET', `/admin/organizations/${encodeURIComponent(name)}`)).body.data.attributes;
  // The filtered result, all of it, selected.
  await page.locator('#q').fill('acme');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/orgs\?q=acme$/);
  await page.getByRole('button', { name: /^Load all/ }).click();
  await page.locator('.result-info', { hasText: /^All \d+ organizations loaded/ }).waitFor();
  const selected = await rowNames(page);
  await page.getByRole('button', { name: `Select all ${selected.length} matching` }).click();
  await page.locator('.bulk-count', { hasText: `${selected.length} selected` }).waitFor();
  // The selection survives another search; one more row is added by its checkbox.
  await page.locator('#q').fill('hashicorp');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/orgs\?q=hashicorp$/);
  await page.getByRole('checkbox', { name: 'Select hashicorp', exact: true }).check();
  const names = [...selected, 'hashicorp'];
  await page.locator('.bulk-count', { hasText: `${names.length} selected` }).waitFor();

  // Review: the plan says what will change and what is already so, as the instance holds it.
  const before = await Promise.all(names.map(adminOrg));
  const changing = names.filter((_, i) => !before[i]['is-disabled']);
  await page.locator('#bulk-action').selectOption('is-disabled:on');
  await page.getByRole('button', { name: 'Review' }).click();
  const summary = page.locator('.bulk-review .bulk-summary');
  await summary.waitFor();
  assert.equal(await summary.getAttribute('data-changing'), String(changing.length));
  assert.equal(await summary.getAttribute('data-already'), String(names.length - changing.length));
  assert.equal(s.apiRequests(log, 'PATCH').length, 0, 'a review writes nothing');
  // Applying needs the count typed.
  const apply = page.getByRole('button', { name: 'Apply' });
  assert.ok(await apply.isDisabled());
  await page.locator('#bulk-confirm').fill(String(changing.length + 1));
  assert.ok(await apply.isDisabled());
  await page.locator('#bulk-confirm').fill(String(changing.length));
  await s.shoot(page, '13-bulk-review');
  await apply.click();
  const results = page.locator('.bulk-results .bulk-summary');
  await results.waitFor({ timeout: 30000 });
  assert.equal(await results.getAttribute('data-updated'), String(changing.length));
  assert.equal(await results.getAttribute('data-failed'), '0');
  for (const name of names) assert.equal((await adminOrg(name))['is-disabled'], true, name);
  assert.equal(s.apiRequests(log, 'PATCH').length, changing.length, 'one write per organization that changed');
  // The undo: each changed organization's value before, as a snapshot document (tfe-orgs apply reads it).
  const [undoFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download undo' }).click()]);
  assert.equal(undoFile.suggestedFilename(), 'bulk-undo.json');
  const undo = JSON.parse(readFileSync(await undoFile.path(), 'utf8'));
  assert.equal(undo.format, 'tfe-orgs/snapshot@1');
  assert.deepEqual(Object.keys(undo.organizations).sort(), [...changing].sort());
  assert.ok(Object.values(undo.organizations).every((o) => JSON.stringify(o) === '{"admin":{"is-disabled":false}}'), JSON.stringify(undo));
  await page.getByRole('button', { name: 'Done' }).click();

  // Enable, with the instance failing every request while it applies: failures first, each with
  // its error; "Retry failed" once it is back.
  await page.locator('#bulk-action').selectOption('is-disabled:off');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.locator('.bulk-review .bulk-summary').waitFor();
  await page.locator('#bulk-confirm').fill(String(names.length));
  await s.faults({ 'error-rate': 1 });
  await page.getByRole('button', { name: 'Apply' }).click();
  const failedSummary = page.locator('.bulk-results .bulk-summary[data-failed]:not([data-failed="0"])');
  await failedSummary.waitFor({ timeout: 60000 });
  assert.equal(await failedSummary.getAttribute('data-failed'), String(names.length));
  const firstRow = page.locator('table.bulk-results-table tbody tr').first();
  assert.equal(await firstRow.getAttribute('data-outcome'), 'failed');
  assert.match(await firstRow.textContent(), /503|failed/);
  await s.shoot(page, '14-bulk-failed');
  await s.faults({});
  await page.getByRole('button', { name: 'Retry failed' }).click();
  const retried = page.locator('.bulk-results .bulk-summary[data-updated]:not([data-updated="0"])');
  await retried.waitFor({ timeout: 60000 });
  assert.equal(await retried.getAttribute('data-updated'), String(names.length));
  for (const name of names) assert.equal((await adminOrg(name))['is-disabled'], false, name);

  // The results as CSV: one line per organization, its outcome and change.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results CSV' }).click()]);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'Organization,Outcome,Changes,Error');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), [...names].sort());
  assert.ok(lines.slice(1).every((l) => l.split(',')[1] === 'updated' && l.includes('Disabled: On → Off')), lines.join('\n'));
  // Put acme-legacy back as the seed has it (disabled) for the suites after this one.
  await s.api('PATCH', '/admin/organizations/acme-legacy', { body: { data: { type: 'organizations', attributes: { 'is-disabled': true } } } });

  // Sign-out clears the selection.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await s.connect(page);
  assert.equal(await page.locator('.bulk').count(), 0);
  s.assertClean(log, [503]);
  await context.close();
});

test('12. provider sharing: a Providers tab with the same modes and picker, writes through registry-partnerships, "not supported" on an older instance', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  const providers = async (name) => (await s.api('GET', `/admin/organizations/${name}/relationships/provider-consumers`)).body.data.map((o) => o.attributes.name);
  const modulesBefore = (await s.api('GET', '/admin/organizations/acme-security/relationships/module-consumers')).body.data.map((o) => o.attributes.name);
  const panel = page.locator('[role="tabpanel"][aria-labelledby="tab-providers"]');
  if (PROVIDERS) {
  await page.goto(s.base + '/orgs/acme-security');
  await page.getByRole('tab', { name: 'Providers' }).click();
  await panel.locator('#provider-sharing-none').waitFor();
  assert.ok(await panel.locator('#provider-sharing-none').isChecked(), 'acme-security shares no providers');
  await panel.locator('#provider-sharing-specific').check();
  await panel.locator('#provider-consumer-search').pressSequentially('acme-da');
  await page.getByRole('button', { name: 'Add acme-data' }).click();
  assert.match(await panel.locator('section.summary').textContent(), /1 organization gains access\./);
  assert.deepEqual(await panel.locator('section.summary ul[aria-label="Gain access"] li').allTextContents(), ['acme-data']);
  await s.shoot(page, '15-provider-sharing');
  const written = page.waitForResponse((r) => r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Save provider sharing' }).click();
  const put = await written;
  assert.equal(put.status(), 204);
  assert.match(put.url(), /\/admin\/organizations\/acme-security\/registry-partnerships$/);
  assert.deepEqual(JSON.parse(put.request().postData()).data.attributes, { provider_consumers: ['acme-data'] }, 'only the provider list: modules untouched');
  await page.locator('.flash', { hasText: 'Provider sharing saved.' }).waitFor();
  assert.deepEqual(await providers('acme-security'), ['acme-data']);
  assert.deepEqual((await s.api('GET', '/admin/organizations/acme-security/relationships/module-consumers')).body.data.map((o) => o.attributes.name), modulesBefore);
  // The detail lists the provider consumers it read again.
  await page.getByRole('list', { name: 'Provider consumers' }).getByRole('link', { name: 'acme-data', exact: true }).waitFor();
  // With everyone: one admin write of global-provider-sharing.
  await panel.locator('#provider-sharing-all').check();
  const global = page.waitForResponse((r) => r.request().method() === 'PATCH');
  await page.getByRole('button', { name: 'Save provider sharing' }).click();
  assert.deepEqual(JSON.parse((await global).request().postData()).data.attributes, { 'global-provider-sharing': true });
  await eventually(async () => (await s.api('GET', '/admin/organizations/acme-security')).body.data.attributes['global-provider-sharing'] === true);
  assert.deepEqual(await providers('acme-security'), []);
  // Put it back as the seed has it.
  await s.api('PATCH', '/admin/organizations/acme-security', { body: { data: { type: 'organizations', attributes: { 'global-provider-sharing': false } } } });
  }

  // An instance older than registry sharing: the Providers tab says so instead of failing.
  await s.release('202103');
  await page.goto(s.base + '/orgs/acme-networking');
  await page.getByRole('tab', { name: 'Providers' }).click();
  await panel.locator('.unsupported', { hasText: 'does not support provider sharing' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save provider sharing' }).count(), 0);
  await page.getByRole('tab', { name: 'Modules' }).click();
  await page.locator('#sharing-specific').waitFor();
  await s.release();

  // The list filters provider producers, and the URL keeps the filter.
  if (PROVIDERS) {
  await page.goto(s.base + '/orgs');
  await page.locator('#provider-producer').selectOption('sharing');
  await page.waitForURL(/provider-producer=sharing/);
  const sharing = (await s.api('GET', '/admin/organizations?filter%5Bprovider_producer%5D=true&page%5Bsize%5D=100')).body.data.map((o) => o.attributes.name);
  await page.locator(`.result-info`, { hasText: `· ${sharing.length} organizations` }).waitFor();
  assert.deepEqual((await rowNames(page)).sort(), sharing.sort());
  }
  s.assertClean(log, [404]);
  await context.close();
});

test('13. large producers lose nothing: 150 module and 130 provider consumers read in full, saved exactly, a concurrent change not overwritten, the delete names all 280', async () => {
  const { page, log, context } = await s.open();
  const big = (i) => `big-${String(i).padStart(5, '0')}`;
  const create = async (name) => {
    const r = await s.api('POST', '/organizations', { body: { data: { type: 'organizations', attributes: { name, email: `${name}@example.com` } } } });
    assert.equal(r.status, 201, `create ${name}`);
  };
  await create('big-producer');
  for (let i = 1; i <= 280; i++) await create(big(i));
  const modules0 = Array.from({ length: 150 }, (_, i) => big(i + 1));
  const providers0 = Array.from({ length: 130 }, (_, i) => big(i + 151));
  // Set the lists behind the page's back with the call this release has (providers from 202301-1).
  const share = (modules, providers) => PROVIDERS
    ? s.api('PUT', '/admin/organizations/big-producer/registry-partnerships', {
      body: { data: { type: 'registry-partnerships', attributes: { ...(modules && { module_consumers: modules }), ...(providers && { provider_consumers: providers }) } } },
    })
    : s.api('PATCH', '/admin/organizations/big-producer/relationships/module-consumers', { body: { data: modules.map((id) => ({ id, type: 'organizations' })) } });
  const ok = (r) => assert.ok([200, 204].includes(r.status), `${r.status}`);
  ok(await share(modules0, providers0));
  // Who loses access: the module consumers, and the provider consumers where there are any.
  const total = PROVIDERS ? 280 : 150;
  const all = async (rel) => {
    const names = [];
    for (let n = 1; ; n++) {
      const body = (await s.api('GET', `/admin/organizations/big-producer/relationships/${rel}?page%5Bnumber%5D=${n}&page%5Bsize%5D=100`)).body;
      names.push(...body.data.map((o) => o.attributes.name));
      if (!body.meta.pagination['next-page']) return names.sort();
    }
  };
  await s.connect(page);

  // The delete names the 280 before anything else changes (read when the section opens).
  await page.goto(s.base + '/orgs/big-producer/edit');
  await page.getByRole('button', { name: 'Delete this organization…' }).click();
  const impact = page.locator('section.impact');
  await impact.waitFor();
  assert.match(await impact.textContent(), /150 organizations lose access to its private modules\./);
  if (PROVIDERS) assert.match(await impact.textContent(), /130 organizations lose access to its private providers\./);
  assert.equal(await impact.locator('ul[aria-label="First organizations that lose access"] li').count(), 20);
  assert.match(await impact.locator('details summary').textContent(), new RegExp(`All ${total} organizations that lose access`));
  assert.equal(await impact.locator('ul[aria-label="Every organization that loses access"] li').count(), total);
  const download = page.waitForEvent('download');
  await impact.getByRole('button', { name: 'Download the list (CSV)' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  assert.equal(csv.length, total + 1, 'a header and every one'); 
  await s.shoot(page, '16-delete-impact');

  // A bulk disable of the producer and one of its consumers: "1 of these shares with 280".
  await page.goto(s.base + '/orgs?q=big-producer');
  await page.getByRole('checkbox', { name: 'Select big-producer', exact: true }).check();
  await page.locator('#q').fill('big-00001');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/orgs\?q=big-00001$/);
  await page.getByRole('checkbox', { name: 'Select big-00001', exact: true }).check();
  await page.locator('.bulk-count', { hasText: '2 selected' }).waitFor();
  await page.locator('#bulk-action').selectOption('is-disabled:on');
  await page.getByRole('button', { name: 'Review' }).click();
  const bulkImpact = page.locator('.bulk-impact');
  await bulkImpact.waitFor();
  assert.match(await bulkImpact.textContent(), new RegExp(`1 of these shares with ${total} organizations, who lose access\\.`));
  assert.equal(await bulkImpact.locator('details li').count(), total);
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Clear selection' }).click();

  // The detail: counts, the first names, "Show all", a filter; every name there.
  await page.goto(s.base + '/orgs/big-producer');
  const mc = page.getByRole('group', { name: 'Module consumers' });
  await mc.locator('.count', { hasText: '150 organizations' }).waitFor();
  await mc.getByRole('button', { name: 'Show all 150' }).click();
  assert.equal(await mc.getByRole('link').count(), 150);
  if (PROVIDERS) {
    const pc = page.getByRole('group', { name: 'Provider consumers' });
    await pc.getByRole('button', { name: 'Show all 130' }).click();
    assert.equal(await pc.getByRole('link').count(), 130);
    await pc.getByRole('searchbox', { name: 'Filter provider consumers' }).fill('big-0027');
    assert.equal(await pc.getByRole('link').count(), 10, 'big-00270..big-00279');
  }
  await s.shoot(page, '17-large-detail');

  // The editor's chips are counted and filterable; add one and save: 151 exactly.
  const mods = page.locator('[role="tabpanel"][aria-labelledby="tab-modules"]');
  await mods.locator('.name-list .count', { hasText: '150 organizations' }).waitFor();
  assert.equal(await mods.locator('ul.chips li').count(), 20, 'compact: the first 20 chips');
  await page.locator('#consumer-search').pressSequentially('big-00200');
  await page.getByRole('button', { name: 'Add big-00200' }).click();
  assert.match(await mods.locator('section.summary').textContent(), /1 organization gains access\./);
  const moduleSave = () => page.waitForResponse((r) => isModuleWrite(r.request(), 'big-producer'));
  let saved = moduleSave();
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  assert.equal(writtenModules((await saved).request().postData()).length, 151);
  await page.locator('.flash', { hasText: 'Module sharing saved.' }).waitFor();
  assert.deepEqual(await all('module-consumers'), [...modules0, 'big-00200'].sort());

  // Providers: add one → 131 exactly.
  if (PROVIDERS) {
  await page.getByRole('tab', { name: 'Providers' }).click();
  const prov = page.locator('[role="tabpanel"][aria-labelledby="tab-providers"]');
  await prov.locator('.name-list .count', { hasText: '130 organizations' }).waitFor();
  await page.locator('#provider-consumer-search').pressSequentially('big-00001');
  await page.getByRole('button', { name: 'Add big-00001' }).click();
  saved = page.waitForResponse((r) => r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Save provider sharing' }).click();
  assert.equal(JSON.parse((await saved).request().postData()).data.attributes.provider_consumers.length, 131);
  await page.locator('.flash', { hasText: 'Provider sharing saved.' }).waitFor();
  assert.deepEqual(await all('provider-consumers'), [...providers0, 'big-00001'].sort());
  }

  // Modules: remove two (found through the chips' filter) → 149 exactly.
  await page.getByRole('tab', { name: 'Modules' }).click();
  await mods.locator('.name-list .count', { hasText: '151 organizations' }).waitFor();
  const chipFilter = mods.getByRole('searchbox', { name: 'Filter chosen organizations' });
  for (const name of ['big-00200', 'big-00005']) {
    await chipFilter.fill(name);
    await page.getByRole('button', { name: `Remove ${name}` }).click();
  }
  saved = moduleSave();
  // The page reads the organization again after a save; its last read is the provider list.
  let patched = false;
  const reread = page.waitForResponse((r) => {
    if (isModuleWrite(r.request(), 'big-producer')) patched = true;
    return patched && r.request().method() === 'GET' && r.url().includes('/big-producer/relationships/provider-consumers');
  });
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  assert.equal(writtenModules((await saved).request().postData()).length, 149);
  await mods.locator('.name-list .count', { hasText: '149 organizations' }).waitFor();
  await reread;
  const expected = modules0.filter((n) => n !== 'big-00005');
  assert.deepEqual(await all('module-consumers'), expected);

  // Another admin adds big-00250 meanwhile; this page removes big-00010: nothing is
  // overwritten, the page says what changed, and merging keeps both.
  ok(await share([...expected, 'big-00250']));
  await chipFilter.fill('big-00010');
  await page.getByRole('button', { name: 'Remove big-00010' }).click();
  const writesBefore = s.apiRequests(log).filter((r) => r.method !== 'GET').length;
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  const conflict = mods.getByRole('alert', { name: 'Changed since you opened it' });
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /1 organization gained access\./);
  assert.match(await conflict.textContent(), /big-00250/);
  assert.equal(s.apiRequests(log).filter((r) => r.method !== 'GET').length, writesBefore, 'nothing written');
  assert.deepEqual(await all('module-consumers'), [...expected, 'big-00250'].sort());
  await s.shoot(page, '18-concurrent-change');
  await conflict.getByRole('button', { name: 'Merge my changes onto it' }).click();
  assert.match(await mods.locator('section.summary').textContent(), /1 organization loses access\./);
  saved = moduleSave();
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  assert.ok((await saved).ok());
  await page.locator('.flash', { hasText: 'Module sharing saved.' }).waitFor();
  assert.deepEqual(await all('module-consumers'), [...expected.filter((n) => n !== 'big-00010'), 'big-00250'].sort());
  s.assertClean(log);
  await context.close();
});

test('14. one owner per fact: global module sharing saved in either editor shows in the other without a reload', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  await page.goto(s.base + '/orgs/acme-data');
  const adminFlag = page.locator('#global-module-sharing');
  await adminFlag.waitFor();
  assert.equal(await adminFlag.isChecked(), false);
  // The admin editor turns it on: the sharing editor shows "all".
  await adminFlag.check();
  await page.getByRole('button', { name: 'Save admin settings' }).click();
  await page.locator('.flash', { hasText: 'Admin settings saved.' }).waitFor();
  await page.locator('#sharing-all:checked').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Save module sharing' }).isDisabled(), 'nothing left to save there');
  // The sharing editor turns it off: the admin editor shows it off, with nothing to save.
  await page.locator('#sharing-none').check();
  await page.getByRole('button', { name: 'Save module sharing' }).click();
  await page.locator('.flash', { hasText: 'Module sharing saved.' }).waitFor();
  await page.locator('#global-module-sharing:not(:checked)').waitFor();
  await page.locator('section.diff', { hasText: 'No changes.' }).waitFor();
  assert.equal((await s.api('GET', '/admin/organizations/acme-data')).body.data.attributes['global-module-sharing'], false);
  s.assertClean(log);
  await context.close();
});

test('15. configuration as data (/snapshot): take and download a snapshot, a change behind its back, compare (drift), apply (review, typed count, results), compare (no drift), undo; a bulk change undone', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  const adminOrg = async (name) => (await s.api('GET', `/admin/organizations/${encodeURIComponent(name)}`)).body.data.attributes;
  const org = async (name) => (await s.api('GET', `/organizations/${encodeURIComponent(name)}`)).body.data.attributes;
  await page.getByRole('link', { name: 'Snapshot', exact: true }).click();
  await page.getByRole('heading', { name: 'Snapshot, compare, apply' }).waitFor();
  const download = page.locator('#download-snapshot');
  assert.ok(await download.isDisabled(), 'nothing to download before a snapshot');
  await page.locator('#take-snapshot').click();
  await page.locator('.snapshot-taken', { hasText: /organizations, taken \d{4}-/ }).waitFor({ timeout: 30000 });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  assert.match(file.suggestedFilename(), /^tfe-orgs-snapshot-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
  const path = await file.path();
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(snap.format, 'tfe-orgs/snapshot@1');
  const total = (await s.api('GET', '/admin/organizations?page%5Bsize%5D=1')).body.meta.pagination['total-count'];
  assert.equal(Object.keys(snap.organizations).length, total, 'every organization');
  assert.ok(!log.requests.some((r) => ['PATCH', 'POST', 'DELETE'].includes(r.method) && r.url.includes('/api/v2/')), 'a snapshot only reads');

  // Behind its back: an admin setting and an organization setting of acme-data.
  const wasDisabled = (await adminOrg('acme-data'))['is-disabled'];
  const email = (await org('acme-data')).email;
  await s.api('PATCH', '/admin/organizations/acme-data', { body: { data: { type: 'organizations', attributes: { 'is-disabled': !wasDisabled } } } });
  await s.api('PATCH', '/organizations/acme-data', { body: { data: { type: 'organizations', attributes: { email: 'drifted@example.com' } } } });

  // Compare the file with the instance now: the two changes, grouped by organization, counted.
  await page.locator('#snapshot-file').setInputFiles(path);
  const drift = page.locator('.drift-summary[data-drift="true"]');
  await drift.waitFor({ timeout: 30000 });
  assert.match(await drift.textContent(), /^The instance differs from the file: 2 changed · 0 added · 0 removed · 0 missing · 0 extra$/);
  const changed = page.locator('table.diff-table tr[data-change="changed"]');
  assert.deepEqual(await changed.locator('td:first-child').allTextContents(), ['acme-data', 'acme-data']);
  await page.locator('#diff-filter').fill('email');
  await eventually(async () => (await changed.count()) === 1);
  assert.match(await changed.first().textContent(), /Notification email: file .* instance drifted@example\.com/);
  await s.shoot(page, '21-snapshot-compare');

  // Apply: the review names the writes and keeps the undo; the count must be typed.
  await page.locator('#review-apply').click();
  await page.locator('.review h2', { hasText: 'Apply: 1 organization changes' }).waitFor({ timeout: 30000 });
  assert.match(await page.locator('.plan-list').textContent(), /acme-data: Disabled → (On|Off).*Notification email → /);
  const [undoFile] = await Promise.all([page.waitForEvent('download'), page.locator('#download-undo').click()]);
  const undo = JSON.parse(readFileSync(await undoFile.path(), 'utf8'));
  assert.deepEqual(undo.organizations, { 'acme-data': { admin: { 'is-disabled': !wasDisabled }, settings: { email: 'drifted@example.com' } } }, 'what the apply changes, as it is now');
  const apply = page.locator('#apply-file');
  assert.ok(await apply.isDisabled());
  await page.locator('#apply-confirm').fill('2');
  assert.ok(await apply.isDisabled());
  await page.locator('#apply-confirm').fill('1');
  await s.shoot(page, '22-snapshot-review');
  // The instance refuses every write: the results say so, and Retry failed (the instance back)
  // plans the failed ones again against the instance as it is now.
  await s.faults({ 'error-rate': 1 });
  await apply.click();
  await page.locator('.apply-summary[data-failed="1"]').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('table.apply-results-table tr[data-outcome="failed"]').count(), 1);
  await s.faults({});
  const writesBefore = s.apiRequests(log, 'PATCH').length;
  await page.getByRole('button', { name: 'Retry failed' }).click();
  await page.locator('.apply-summary[data-done="1"]').waitFor({ timeout: 30000 });
  const [results] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results CSV' }).click()]);
  assert.deepEqual(readFileSync(await results.path(), 'utf8').trim().split('\r\n'), ['Organization,Outcome,Error', 'acme-data,done,']);
  assert.equal((await adminOrg('acme-data'))['is-disabled'], wasDisabled);
  assert.equal((await org('acme-data')).email, email);
  assert.equal(s.apiRequests(log, 'PATCH').length - writesBefore, 2, 'only what differs: one organization write, one admin write');

  // Compare again, the file dropped this time: no drift.
  const dropped = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return dt;
  }, readFileSync(path, 'utf8'));
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
  await page.locator('.file-name', { hasText: 'File: dropped.json' }).waitFor();
  await page.locator('.drift-summary[data-drift="false"]').waitFor({ timeout: 30000 });

  // Undo the apply, with its own review: the drifted values are back.
  await page.locator('#undo-last').click();
  await page.locator('.review h2', { hasText: 'Apply: 1 organization changes' }).waitFor({ timeout: 30000 });
  await page.locator('#apply-confirm').fill('1');
  await page.locator('#apply-file').click();
  await page.locator('.apply-summary[data-done="1"]').waitFor({ timeout: 30000 });
  assert.equal((await adminOrg('acme-data'))['is-disabled'], !wasDisabled);
  assert.equal((await org('acme-data')).email, 'drifted@example.com');

  // A bulk change's results offer Undo: it opens here, reviewed, and puts the values back.
  await page.getByRole('link', { name: 'Organizations', exact: true }).click();
  await page.locator('#q').fill('hashicorp');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/orgs\?q=hashicorp$/);
  await page.getByRole('checkbox', { name: 'Select hashicorp', exact: true }).check();
  await page.locator('#bulk-action').selectOption('is-disabled:on');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.locator('.bulk-review .bulk-summary').waitFor();
  await page.locator('#bulk-confirm').fill('1');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('.bulk-results .bulk-summary[data-updated="1"]').waitFor({ timeout: 30000 });
  assert.equal((await adminOrg('hashicorp'))['is-disabled'], true);
  await page.locator('#bulk-undo-open').click();
  await page.waitForURL(/\/snapshot$/);
  await page.locator('.review h2', { hasText: 'Apply: 1 organization changes' }).waitFor({ timeout: 30000 });
  await page.locator('#apply-confirm').fill('1');
  await page.locator('#apply-file').click();
  await page.locator('.apply-summary[data-done="1"]').waitFor({ timeout: 30000 });
  assert.equal((await adminOrg('hashicorp'))['is-disabled'], false);
  s.assertClean(log, [503]);
  await context.close();
});

test('16. screens load when opened: the first download is the connect page and the list; each other screen fetches its own code, by URL and by navigation; a chunk that fails says so with Reload', async () => {
  const { readdirSync } = await import('node:fs');
  const dist = readdirSync(process.env.PAGE_DIST).filter((f) => !/\.(br|gz)$/.test(f));
  const isChunk = (name) => /^(split_|chunk_)/.test(name);
  assert.ok(dist.filter(isChunk).length >= 5, `the release build is split: ${dist.filter(isChunk).join(', ')}`);
  // Served like the rest: content-hashed names cached immutable, precompressed.
  for (const chunk of dist.filter(isChunk).slice(0, 3)) {
    const res = await fetch(`${s.base}/${chunk}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(res.status, 200, chunk);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/, chunk);
    assert.equal(res.headers.get('content-encoding'), 'br', chunk);
    assert.equal(res.headers.get('content-type'), 'application/wasm', chunk);
    await res.arrayBuffer();
  }
  // Which chunks each screen needs, as the splitter wrote them beside the build.
  const manifest = Object.fromEntries(readFileSync(`${process.env.PAGE_DIST}-split-manifest.json`, 'utf8').trim().split('\n')
    .map((l) => l.split(': ')).map(([screen, files]) => [screen, files.trim().split(' ')]));
  const fileOf = (url) => decodeURIComponent(new URL(url).pathname.split('/').pop());
  const pageFiles = (urls) => urls.filter((u) => u.startsWith(s.origin) && !u.includes('/api/v2/') && !u.includes('/_tfe-orgs/')).map(fileOf).filter(Boolean);

  // Cold: open the page, connect; what the browser fetched until the first row is the first download.
  const { page, log, context } = await s.open();
  await s.connect(page);
  const first = pageFiles(log.requests.map((r) => r.url));
  assert.deepEqual(first.filter(isChunk), [], 'no screen chunk before /orgs is usable');
  for (const f of first) assert.ok(dist.includes(f), `${f} is a file of the build`);

  // By navigation: the sharing audit opens and works.
  await page.getByRole('link', { name: 'Sharing audit' }).click();
  await page.locator('table.audit').waitFor();
  // By URL (a full load in this tab, whose session is restored), each lazy screen fetches its
  // own chunks and works.
  const screens = [
    ['/snapshot', 'snapshot_screen', (p) => p.getByRole('heading', { name: 'Snapshot, compare, apply' })],
    ['/orgs/hashicorp', 'organization_screen', (p) => p.getByRole('heading', { name: 'At a glance', exact: true })],
    ['/orgs/new', 'new_organization_screen', (p) => p.getByRole('heading', { name: 'New organization' })],
    ['/orgs/hashicorp/edit', 'edit_organization_screen', (p) => p.locator('#email')],
    ['/sharing-map', 'sharing_audit_screen', (p) => p.locator('table.audit')],
  ];
  for (const [path, screen, ready] of screens) {
    assert.ok(manifest[screen]?.length > 0, `${screen} has chunks: ${JSON.stringify(manifest)}`);
    const before = log.requests.length;
    await page.goto(s.base + path);
    await ready(page).first().waitFor();
    const files = pageFiles(log.requests.slice(before).map((r) => r.url));
    for (const chunk of manifest[screen]) assert.ok(files.includes(chunk), `${path} fetched ${chunk}: ${files.join(', ')}`);
  }
  s.assertClean(log);
  await context.close();

  // A chunk that cannot load (a tab left open across an upgrade): plain words and Reload.
  const broken = await s.open();
  const chunkUrl = /\/(split_|chunk_)[^/]*\.wasm$/;
  await broken.page.route(chunkUrl, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await s.connect(broken.page);
  await broken.page.goto(s.base + '/snapshot');
  const failed = broken.page.locator('section.chunk-failed[role="alert"]');
  await failed.waitFor();
  assert.match(await failed.textContent(), /could not be loaded/);
  await broken.page.unroute(chunkUrl);
  await broken.page.getByRole('button', { name: 'Reload' }).click();
  await broken.page.getByRole('heading', { name: 'Snapshot, compare, apply' }).waitFor();
  assert.deepEqual(broken.log.errors, [], 'no page error: the failure is shown, not thrown');
  assert.ok(!broken.log.console.some((m) => /Content Security Policy/.test(m.text)), 'no CSP violation');
  await broken.context.close();
});

/** From the sandbox's state: whether `consumer`'s workspaces use a private module of `producer`. */
function usesModuleOf(consumer, producer) {
  return (consumer.usage ?? []).some((u) => u.view === 'modules' && u.registry_type === 'private' &&
    u.source.split('/').slice(-3)[0].toLowerCase() === producer.toLowerCase());
}

test('17. which grants are in use: each grant used / unused / unknown as the sandbox\'s Explorer holds it, filters, CSV; unused grants revoked through the review with the undo; impact warnings say who uses a producer', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  const state = await s.state();
  const byName = new Map(state.orgs.map((o) => [o.attributes.name.toLowerCase(), o]));
  const explorer = RELEASE === 'current';
  const expected = (p, c) => {
    const consumer = byName.get(c.toLowerCase());
    if (!explorer || consumer.explorer_closed) return 'unknown';
    return usesModuleOf(consumer, p) ? 'used' : 'unused';
  };
  await page.getByRole('link', { name: 'Sharing audit' }).click();
  await page.locator('table.audit').waitFor();
  const answered = page.waitForResponse((r) => r.url().includes('/explorer?'));
  await page.locator('#read-usage').click();
  await answered;
  const summary = page.locator('.usage-summary');
  await summary.waitFor({ timeout: 60000 });
  // Every specific grant, classified as the instance holds it.
  const specific = state.orgs.flatMap((p) => (p.consumers ?? []).map((c) => [p.attributes.name, c]));
  for (const [p, c] of specific) {
    const grant = page.locator(`tr.grant-row[data-grant="${p.toLowerCase()}→${c.toLowerCase()}"]`);
    assert.equal(await grant.getAttribute('data-usage'), expected(p, c), `${p} → ${c}`);
  }
  const unused = specific.filter(([p, c]) => expected(p, c) === 'unused');
  const unknownSpecific = specific.filter(([p, c]) => expected(p, c) === 'unknown');
  assert.ok(unknownSpecific.length > 0, 'a consumer whose Explorer the token may not read');
  const rows = page.locator('tr.grant-row');
  const count = async (usage) => page.locator(`tr.grant-row[data-usage="${usage}"]`).count();
  assert.equal(Number(await summary.getAttribute('data-unused')), unused.length);
  assert.equal(Number(await summary.getAttribute('data-unknown')), await count('unknown'));
  // A used grant shows what and where on demand.
  if (explorer) {
    const used = page.locator('tr.grant-row[data-usage="used"]').first();
    await used.locator('summary').click();
    assert.match(await used.locator('details li').first().textContent(), /^\w[\w-]*\/\w+ \d+\.\d+\.\d+: \d+ workspaces? \(.+\)$/);
  }
  // Filters: unused grants; a name.
  const total = await rows.count();
  await page.locator('#usage-filter').selectOption('unused');
  await page.locator(`.grant-usage .result-info[data-rows="${unused.length}"]`).waitFor();
  await page.locator('#usage-filter').selectOption('unknown');
  await page.locator(`.grant-usage .result-info[data-rows="${await count('unknown')}"]`).waitFor();
  await page.locator('#usage-filter').selectOption('all');
  await page.locator(`.grant-usage .result-info[data-rows="${total}"]`).waitFor();
  // CSV for people: every grant, its usage in words.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-usage').click()]);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'Producer,Consumer,Registry,Shares with,Usage,Workspaces,What is used,Why unknown');
  assert.equal(lines.length, total + 1);
  if (!explorer) {
    assert.ok(await page.locator('#select-unused').isDisabled(), 'nothing to revoke where nothing is known');
    assert.equal(await count('used') + await count('unused'), 0);
  } else {
    // Revoke two unused grants: reviewed on /snapshot (typed count), applied, then undone.
    await s.shoot(page, '23-grant-usage');
    const chosen = unused.slice(0, 2);
    for (const [p, c] of chosen) await page.getByRole('checkbox', { name: `Revoke ${p} → ${c}`, exact: true }).check();
    const before = new Map();
    for (const p of new Set(chosen.map(([p]) => p))) {
      before.set(p, (await s.api('GET', `/admin/organizations/${p}/relationships/module-consumers?page%5Bsize%5D=100`)).body.data.map((o) => o.attributes.name).sort());
    }
    await page.locator('#revoke-selected').click();
    await page.waitForURL(/\/snapshot$/);
    const n = before.size;
    await page.locator('.review h2', { hasText: `Apply: ${n} organization${n === 1 ? '' : 's'} change` }).waitFor({ timeout: 30000 });
    await page.locator('#apply-confirm').fill(String(n));
    await page.locator('#apply-file').click();
    await page.locator(`.apply-summary[data-done="${n}"]`).waitFor({ timeout: 30000 });
    for (const [p, list] of before) {
      const now = (await s.api('GET', `/admin/organizations/${p}/relationships/module-consumers?page%5Bsize%5D=100`)).body.data.map((o) => o.attributes.name).sort();
      const revoked = chosen.filter(([q]) => q === p).map(([, c]) => c.toLowerCase());
      assert.deepEqual(now, list.filter((c) => !revoked.includes(c.toLowerCase())), `${p}: only the chosen grants revoked`);
    }
    // Nothing else touched: every other producer's list as it was.
    const after = await s.state();
    for (const o of after.orgs.filter((o) => !before.has(o.attributes.name))) {
      assert.deepEqual(o.consumers ?? [], byName.get(o.attributes.name.toLowerCase()).consumers ?? [], o.attributes.name);
    }
    await page.locator('#undo-apply').click();
    await page.locator('.review h2', { hasText: `Apply: ${n} organization` }).waitFor({ timeout: 30000 });
    await page.locator('#apply-confirm').fill(String(n));
    await page.locator('#apply-file').click();
    await page.locator(`.apply-summary[data-done="${n}"]`).waitFor({ timeout: 30000 });
    for (const [p, list] of before) {
      const now = (await s.api('GET', `/admin/organizations/${p}/relationships/module-consumers?page%5Bsize%5D=100`)).body.data.map((o) => o.attributes.name).sort();
      assert.deepEqual(now, list, `${p}: the undo restores every grant`);
    }
  }
  // The impact warning before disabling a producer: who of those losing access use it.
  await page.goto(s.base + '/orgs/acme-security');
  await page.locator('#is-disabled').waitFor();
  const asked = page.waitForResponse((r) => r.url().includes('/explorer?') || r.url().includes('module-consumers'));
  await page.locator('#is-disabled').check();
  await asked;
  const line = page.locator('section.impact .usage-lines li').first();
  await line.waitFor({ timeout: 30000 });
  const acme = specific.filter(([p]) => p === 'acme-security');
  const users = acme.filter(([p, c]) => expected(p, c) === 'used').length;
  assert.match(await line.textContent(), explorer
    ? new RegExp(`^Explorer: ${users} of the ${acme.length} organizations that lose access use its modules, in \\d+ workspaces?\\.$`)
    : /^Explorer: whether they use its modules is not known \(3 could not be read: .*404/);
  // The sharing editor: removing one consumer, Explorer asked on request about that one only.
  await page.locator('#is-disabled').uncheck();
  const mods = page.locator('[role="tabpanel"][aria-labelledby="tab-modules"]');
  const [p0, c0] = acme[0];
  await page.getByRole('button', { name: `Remove ${c0}` }).click();
  await mods.locator('section.summary #impact-usage').click();
  const one = mods.locator('section.summary .usage-lines li').first();
  await one.waitFor({ timeout: 30000 });
  assert.match(await one.textContent(), explorer
    ? new RegExp(`^Explorer: ${expected(p0, c0) === 'used' ? 1 : 0} of the 1 organization that lose access use its modules`)
    : /^Explorer: whether they use its modules is not known \(1 could not be read/);
  s.assertClean(log, [404]);
  await context.close();
});
