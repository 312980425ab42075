// Security checks of the page: it runs under the strict CSP tfe-orgs-server sends, path-injection
// names are refused before any request, hostile names stay inert, and the token shows up in no
// URL, console line, localStorage entry (without the opt-in) or error message.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, startPageSandbox } from './support.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
let s;
before(async () => { s = await startPageSandbox(); });
after(async () => { await s?.stop(); });
beforeEach(async () => { await s.reset(); });

test('the page is served with the strict CSP, has no inline script, and runs without violations', async () => {
  const res = await fetch(s.base + '/orgs/hashicorp');
  assert.equal(res.status, 200, 'page routes fall back to index.html');
  assert.equal(res.headers.get('content-security-policy'), CSP);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script is a file');
  assert.doesNotMatch(html, /\sstyle=/, 'no inline style attributes');
  const { page, log, context } = await s.open();
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`)));
  await s.connect(page);
  for (const path of ['/orgs/platform-core', '/orgs/new', '/sharing-map', '/orgs?q=acme']) {
    await page.goto(s.base + path);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
  }
  assert.deepEqual(violations, []);
  assert.ok(!log.console.some((m) => /Content Security Policy/.test(m.text)), 'no CSP messages');
  s.assertClean(log);
  await context.close();
});

test('path-injection names are refused before any request is sent', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  for (const name of ['../admin', 'a/b', '%2F', '?x=1']) {
    await page.goto(s.base + '/orgs/new');
    await page.locator('#name').fill(name);
    await page.locator('#email').fill('ops@example.com');
    const error = await page.locator('#name-error').textContent();
    assert.ok(error.length > 0, `${name}: an error beside the field`);
    assert.match(error, /name/);
    const posts = s.apiRequests(log, 'POST').length;
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForTimeout(100);
    assert.equal(s.apiRequests(log, 'POST').length, posts, `${name}: nothing sent`);
  }
  // The same names in the address bar: a validation error, and no request with them.
  for (const segment of ['..%2Fadmin', 'a%2Fb', '%252F', '%3Fx%3D1']) {
    const before = s.apiRequests(log).length;
    await page.goto(`${s.base}/orgs/${segment}`);
    await page.locator('.banner.error').waitFor();
    assert.match(await page.locator('.banner.error').textContent(), /Check the highlighted field|name/);
    // Reconnecting on load reads a page of organizations and (site admins) the general settings.
    const sent = s.apiRequests(log).slice(before).filter((r) => !r.url.includes('/admin/organizations?') && !r.url.includes('/organizations?') && !r.url.endsWith('/admin/general-settings'));
    assert.deepEqual(sent.map((r) => r.url), [], `${segment}: no request for it`);
  }
  const state = await s.control('GET', 'state');
  assert.equal(state.orgs.length, 30, 'nothing created');
  s.assertClean(log);
  await context.close();
});

test('the token appears in no URL, console line, localStorage entry or error message', async () => {
  const { page, log, context } = await s.open();
  await s.connect(page);
  // Provoke errors of several kinds.
  await page.goto(s.base + '/orgs/no-such-org');
  await page.locator('.banner.error').waitFor();
  const notFound = await page.locator('.banner.error').textContent();
  await page.goto(s.base + '/orgs');
  await page.locator('table.orgs tr.row').first().waitFor();
  await s.faults({ 'error-rate': 1 });
  await page.locator('#q').fill('acme');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('.banner.error').waitFor({ timeout: 20000 });
  const serverError = await page.locator('.banner.error').textContent();
  await s.faults({});
  for (const text of [notFound, serverError]) assert.ok(!text.includes(ADMIN), text);
  for (const r of log.requests) assert.ok(!r.url.includes(ADMIN), r.url);
  for (const m of log.console) assert.ok(!m.text.includes(ADMIN), m.text);
  const local = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!local.includes(ADMIN), 'localStorage without opt-in');
  const body = await page.locator('body').textContent();
  assert.ok(!body.includes(ADMIN), 'not on screen after connecting');
  await context.close();
});
