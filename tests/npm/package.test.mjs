// The packed tarball, installed into a scratch project, used exactly as a user would: the
// nodejs build via require('tfe-orgs') and the web build via initSync, against a running
// tfe-sandbox over real HTTP. Set up by `cargo xtask test` (SCRATCH, TFE_SANDBOX_URL).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const SCRATCH = process.env.SCRATCH;
const URL_ = process.env.TFE_SANDBOX_URL;
const require = createRequire(join(SCRATCH, 'package.json'));
const lib = require('tfe-orgs');
const ADMIN = 'sandbox-admin-token';

async function control(path, body) {
  const r = await fetch(URL_ + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.ok(r.ok, path);
}

async function rejects(promise) {
  try { await promise; } catch (e) { return e; }
  assert.fail('expected a TfeError');
}

before(async () => { await control('/_sandbox/reset', ''); });

test('organizations API: every method returns the documented values', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const page = await tfe.listOrganizations({ qName: 'hashicorp', pageSize: 10 });
  assert.deepEqual(page.items.map((o) => o.id), ['hashicorp', 'hashicorp-two']);
  assert.deepEqual(page.pagination, { currentPage: 1, prevPage: null, nextPage: null, totalPages: 1, totalCount: 2, pageSize: 10 });
  const org = await tfe.getOrganization('hashicorp', { include: 'entitlement_set' });
  assert.equal(org.externalId, 'org-Hysjx5eUviuKVCJY');
  assert.equal(org.collaboratorAuthPolicy, 'password');
  assert.equal(org.permissions['can-update'], true);
  assert.equal(org.entitlementSet.id, 'org-Hysjx5eUviuKVCJY');
  assert.deepEqual(org.extra, {});
  const progress = [];
  const all = await tfe.listAllOrganizations({ pageSize: 8 }, (p) => progress.push(p));
  assert.equal(all.length, 30);
  assert.deepEqual(progress.at(-1), { pages: 4, items: 30, totalPages: 4, totalCount: 30 });

  const created = await tfe.createOrganization({ name: 'npm-made', email: 'npm@example.com', sessionTimeout: 90 });
  assert.equal(created.name, 'npm-made');
  assert.match(created.externalId, /^org-[A-Za-z0-9]{16}$/);
  const updated = await tfe.updateOrganization('npm-made', { email: 'npm2@example.com', defaultExecutionMode: 'local' });
  assert.equal(updated.email, 'npm2@example.com');
  assert.equal(updated.defaultExecutionMode, 'local');
  const set = await tfe.getEntitlementSet('npm-made');
  assert.equal(set.entitlements['private-module-registry'], true);
  const producers = await tfe.listModuleProducers('hashicorp');
  assert.deepEqual(producers.items.map((p) => p.name), ['hc-nomad', 'platform-core', 'globex-infra', 'hooli-cloud']);
  assert.equal((await tfe.getDataRetentionPolicy('npm-made')).type, 'data-retention-policy-dont-deletes');
  // A misspelt key is refused before any request, not read as "never delete".
  const misspelt = await rejects(tfe.setDataRetentionPolicy('npm-made', { deleteOlderThanNdays: 14 }));
  assert.equal(misspelt.kind, 'validation');
  assert.match(misspelt.message, /deleteOlderThanNdays/);
  const policy = await tfe.setDataRetentionPolicy('npm-made', { deleteOlderThanNDays: 14 });
  assert.equal(policy.deleteOlderThanNDays, 14);
  assert.equal((await tfe.getDataRetentionPolicy('npm-made')).deleteOlderThanNDays, 14);
  await tfe.deleteDataRetentionPolicy('npm-made');
  assert.equal((await tfe.getDataRetentionPolicy('npm-made')).deleteOlderThanNDays, null);
  await tfe.deleteOrganization('npm-made');
  assert.equal((await rejects(tfe.getOrganization('npm-made'))).kind, 'not-found');
});

test('admin and module sharing: every method returns the documented values', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const page = await tfe.adminListOrganizations({ q: 'acme', moduleProducer: true, include: 'owners' });
  // q matches emails too: platform-core (platform@acme.io) shares globally.
  assert.deepEqual(page.items.map((o) => o.id), ['platform-core', 'acme-networking', 'acme-security']);
  assert.deepEqual(page.statusCounts, { total: 3, active: 3, disabled: 0 });
  assert.deepEqual(page.items[0].owners, [{ id: 'user-Owner000000000001', username: 'alice', email: 'alice@example.com' }]);
  const all = await tfe.adminListAllOrganizations({ pageSize: 25 });
  assert.equal(all.length, 30);
  const org = await tfe.adminGetOrganization('my-organization', { include: 'owners' });
  assert.equal(org.notificationEmail, 'my-organization@example.com');
  assert.deepEqual(org.ownerIds, ['user-hxTQDETqnJsi5VYP']);
  const updated = await tfe.adminUpdateOrganization('an-org', { isDisabled: true, applyTimeout: '24h' });
  assert.equal(updated.isDisabled, true);
  assert.equal(updated.applyTimeout, '24h');
  await tfe.adminSetModuleConsumers('an-org', ['another-org', 'hashicorp']);
  const consumers = await tfe.adminListModuleConsumers('an-org', { pageSize: 1 });
  assert.deepEqual(consumers.items.map((o) => o.id), ['another-org']);
  assert.equal(consumers.pagination.totalCount, 2);
  const partnerships = await tfe.adminSetModulePartnerships('an-org', ['org-939hp5K7kecppVmd']);
  assert.equal(partnerships[0].consumingOrganizationName, 'other-organization');
  assert.equal(partnerships[0].producingOrganizationName, 'an-org');
  await tfe.adminDeleteOrganization('an-org');
  assert.equal((await rejects(tfe.adminGetOrganization('an-org'))).status, 404);
});

test('validators return field, rule and message', () => {
  assert.deepEqual(lib.validateOrganizationName('ok-name'), []);
  assert.equal(lib.validateOrganizationName('a/b')[0].rule, 'no-slash');
  assert.equal(lib.validateExternalId('abc')[0].rule, 'prefix');
  assert.deepEqual(lib.validateDuration('1h30m'), []);
  assert.equal(lib.validateDuration('2d')[0].rule, 'duration');
  assert.equal(lib.validateResourceIdentifier({ id: 'x', type: 'users' })[0].field, '/type');
  assert.equal(lib.validateOrganizationCreate({ name: 'x' })[0].field, '/data/attributes/email');
  assert.equal(lib.validateOrganizationUpdate({ aggregatedCommitStatusEnabled: true, sendPassingStatusesForUntriggeredSpeculativePlans: true })[0].rule, 'conflict');
  assert.equal(lib.validateAdminOrganizationUpdate({ planTimeout: '2 h' })[0].field, '/data/attributes/plan-timeout');
});

test('attributeLabel: what a person calls an attribute, from its declaration, with the key beside it', () => {
  assert.equal(lib.attributeLabel('plan-timeout'), 'Plan timeout (plan-timeout)');
  assert.equal(lib.attributeLabel('admin/workspace-limit'), 'Workspace limit (workspace-limit)');
  assert.equal(lib.attributeLabel('terraform-build-worker-apply-timeout'), 'Apply timeout (apply-timeout)');
  assert.equal(lib.attributeLabel('colour'), 'colour', 'a key no declaration describes, as given');
});

test('every failure is a TfeError of the right kind', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN, maxRetries: 0 });
  const check = (e, kind) => {
    assert.ok(e instanceof Error);
    assert.ok(e instanceof lib.TfeError, 'instanceof the exported class');
    assert.equal(e.name, 'TfeError');
    assert.ok(e.stack.includes('TfeError'), 'a real stack');
    assert.equal(e.kind, kind, e.message);
    assert.ok(!e.message.includes(ADMIN), 'no token in messages');
    return e;
  };
  const v = check(await rejects(tfe.getOrganization('../admin')), 'validation');
  assert.deepEqual([v.field, v.rule, v.status], ['name', 'no-slash', null]);
  check(await rejects(new lib.TfeClient({ baseUrl: URL_, token: 'nope' }).getOrganization('hashicorp')), 'unauthorized');
  check(await rejects(new lib.TfeClient({ baseUrl: URL_, token: 'sandbox-member-token' }).adminListOrganizations()), 'not-found');
  const u = check(await rejects(tfe.createOrganization({ name: 'HASHICORP', email: 'x@example.com' })), 'unprocessable');
  assert.equal(u.status, 422);
  assert.equal(u.field, '/data/attributes/name');
  assert.equal(u.errors[0].source.pointer, '/data/attributes/name');
  check(await rejects(new lib.TfeClient({ baseUrl: 'http://127.0.0.1:9', token: 't', maxRetries: 0 }).getOrganization('x')), 'network');
  try {
    await control('/_sandbox/faults', '{"rate-limit": 1}');
    // The default client spends what the instance states (X-RateLimit-Limit: 1): no 429.
    await tfe.getOrganization('hashicorp');
    await tfe.getOrganization('hashicorp');
    // A fixed budget above it meets the limit.
    const fixed = new lib.TfeClient({ baseUrl: URL_, token: ADMIN, requestsPerSecond: 30, maxRetries: 0 });
    await fixed.getOrganization('hashicorp').catch(() => {});
    const r = check(await rejects(fixed.getOrganization('hashicorp')), 'rate-limited');
    assert.ok(r.retryAfterMs > 0 && r.retryAfterMs <= 1000, String(r.retryAfterMs));
    await control('/_sandbox/faults', '{"error-rate": 1}');
    check(await rejects(tfe.getOrganization('hashicorp')), 'server');
    await control('/_sandbox/faults', '{"malformed-rate": 1}');
    check(await rejects(tfe.getOrganization('hashicorp')), 'decode');
    await control('/_sandbox/faults', '{"latency-ms": 600}');
    const slow = new lib.TfeClient({ baseUrl: URL_, token: ADMIN, maxRetries: 0, timeoutMs: 100 });
    check(await rejects(slow.getOrganization('hashicorp')), 'timeout');
  } finally {
    await control('/_sandbox/faults', '{}');
  }
});

test('the web build works in Node with initSync', async () => {
  const entry = require.resolve('tfe-orgs/web');
  const web = await import(pathToFileURL(entry).href);
  web.initSync({ module: readFileSync(join(entry, '..', 'tfe_orgs_bg.wasm')) });
  const tfe = new web.TfeClient({ baseUrl: URL_ + '/api/v2', token: ADMIN });
  const org = await tfe.adminGetOrganization('hashicorp');
  assert.equal(org.externalId, 'org-Hysjx5eUviuKVCJY');
  assert.equal(web.validateDuration('300ms').length, 0);
});

test('the public .d.ts has no any outside extra', () => {
  for (const target of ['nodejs', 'web', 'bundler']) {
    // The web target's `InitOutput` is wasm-bindgen's raw ABI (wasm exports), not our API.
    const dts = readFileSync(join(SCRATCH, 'node_modules/tfe-orgs', target, 'tfe_orgs.d.ts'), 'utf8')
      .replace(/export interface InitOutput \{[^}]*\}/s, '');
    const offending = dts.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*extra: Record<string, any>;/.test(l) && !/^\s*(\/\/|\*|\/\*)/.test(l));
    assert.deepEqual(offending, [], target);
  }
});

test('a response body fetched elsewhere decodes to what adminListOrganizations returns', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const fromClient = await tfe.adminListOrganizations({ include: 'owners', pageSize: 5 });
  const res = await fetch(`${URL_}/api/v2/admin/organizations?include=owners&page%5Bnumber%5D=1&page%5Bsize%5D=5`,
    { headers: { authorization: `Bearer ${ADMIN}` } });
  const text = await res.text();
  assert.deepEqual(lib.decodeAdminOrganizationsPage(text), fromClient);
  assert.equal(lib.checkAdminOrganizationsPage, undefined, 'the bench-only export is not in the package');
  const broken = text.replace('"is-disabled":false', '"is-disabled":"no"');
  const e = (() => { try { lib.decodeAdminOrganizationsPage(broken); } catch (e) { return e; } })();
  assert.equal(e.kind, 'decode');
  assert.match(e.field, /^\/data\/\d+\/attributes\/is-disabled$/);
});

test('bad options are validation errors that name the option and what it expects, before any request', async () => {
  // Nothing listens on port 9: a request would end as a network error, not a validation one.
  const offline = new lib.TfeClient({ baseUrl: 'http://127.0.0.1:9', token: ADMIN, maxRetries: 0 });
  const cases = [
    [() => offline.adminListOrganizations({ pageSize: '20' }), 'options.pageSize', /expected a whole number/],
    [() => offline.adminListOrganizations({ bogus: 1 }), 'options.bogus', /not an option here \(known: .*pageSize/],
    [() => offline.adminListOrganizations({ include: 'nope' }), 'options.include', /"nope" cannot be included here \(offered: owners\)/],
    [() => offline.adminListOrganizations({ include: 42 }), 'options.include', /expected a string or an array of strings/],
    [() => offline.getOrganization('hashicorp', { include: ['owners'] }), 'options.include', /offered: entitlement_set/],
    [() => offline.listOrganizations({ moduleProducer: 'yes' }), 'options.moduleProducer', /expected true or false/],
    // Attributes are the model's: a misspelt one is refused, not dropped; a wrong type names the key.
    [() => offline.createOrganization({ name: 'x', emial: 'a@b.io' }), 'attrs.emial', /not an attribute here \(known: name, email, sessionTimeout/],
    [() => offline.createOrganization({ name: 'x', email: 'a@b.io', sessionTimeout: 'ten' }), 'attrs.sessionTimeout', /expected a whole number/],
    [() => offline.adminUpdateOrganization('x', { planTimeout: 5 }), 'attrs.planTimeout', /expected a string/],
    [() => offline.adminUpdateOrganization('x', []), 'attrs', /expected an object/],
  ];
  for (const [call, field, text] of cases) {
    const e = await rejects(call());
    assert.ok(e instanceof Error, 'an Error');
    assert.equal(e.name, 'TfeError');
    assert.equal(e.kind, 'validation', e.message);
    assert.equal(e.field, field, e.message);
    assert.match(e.message, text);
    assert.doesNotMatch(e.message, /tfe_orgs::|JsValue|line \d+ column|untagged|u32/, 'in JavaScript terms');
  }
  assert.throws(() => new lib.TfeClient({ baseUrl: URL_, token: ADMIN, maxRetry: 3 }), /config\.maxRetry is not an option/);
  // include as an array, as JSON:API users write it, works like the string.
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const org = await tfe.adminGetOrganization('my-organization', { include: ['owners'] });
  assert.deepEqual(org.ownerIds, ['user-hxTQDETqnJsi5VYP']);
  assert.equal(org.owners[0].username, 'site-admin');
});

test('a timeout of null puts the organization back on the instance default', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  assert.deepEqual(lib.validateAdminOrganizationUpdate({ applyTimeout: null }), []);
  const before = await tfe.adminGetOrganization('umbrella-research');
  assert.equal(before.applyTimeout, '48h');
  const cleared = await tfe.adminUpdateOrganization('umbrella-research', { applyTimeout: null });
  assert.equal(cleared.applyTimeout, null);
  assert.equal(cleared.isDisabled, before.isDisabled, 'what is not sent stays');
  const read = await tfe.adminGetOrganization('umbrella-research');
  assert.equal(read.applyTimeout, null);
  // Left out is not null: the plan timeout set next leaves the apply timeout unset.
  const set = await tfe.adminUpdateOrganization('umbrella-research', { planTimeout: '3h' });
  assert.deepEqual([set.planTimeout, set.applyTimeout], ['3h', null]);
  await tfe.adminUpdateOrganization('umbrella-research', { applyTimeout: '48h', planTimeout: null });
});

test('adminUpdateOrganizations: a plan that skips what is already so, then the writes, a stop, typed failures', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const names = ['acme-data', 'acme-legacy', 'acme-networking', 'no-such-org'];
  // acme-legacy is disabled already.
  const plan = await tfe.adminUpdateOrganizations(names, { isDisabled: true }, { dryRun: true });
  assert.deepEqual(plan.items.map((i) => i.outcome), ['planned', 'unchanged', 'planned', 'failed']);
  assert.deepEqual(plan.items[0].changes, [{ field: 'is-disabled', from: false, to: true }]);
  assert.ok(plan.items[3].error instanceof lib.TfeError);
  assert.equal(plan.items[3].error.kind, 'not-found');
  assert.equal((await tfe.adminGetOrganization('acme-data')).isDisabled, false, 'a dry run writes nothing');

  const seen = [];
  const done = await tfe.adminUpdateOrganizations(names, { isDisabled: true }, { onProgress: (p) => seen.push(p) });
  assert.deepEqual([done.updated, done.unchanged, done.failed, done.notSent], [2, 1, 1, 0]);
  assert.deepEqual(seen.at(-1), { done: 2, total: 2, failed: 0 });
  for (const name of ['acme-data', 'acme-networking']) assert.equal((await tfe.adminGetOrganization(name)).isDisabled, true);

  // An aborted signal stops the run before any write; what was not sent says so.
  const controller = new AbortController();
  controller.abort();
  const stopped = await tfe.adminUpdateOrganizations(['acme-data', 'acme-networking'], { isDisabled: false }, { signal: controller.signal });
  assert.deepEqual(stopped.items.map((i) => i.outcome), ['not-sent', 'not-sent']);
  assert.equal((await tfe.adminGetOrganization('acme-data')).isDisabled, true);
  await tfe.adminUpdateOrganizations(['acme-data', 'acme-networking'], { isDisabled: false });

  // Bad options and attributes are refused before any request.
  const e = await rejects(tfe.adminUpdateOrganizations(names, { isDisabled: true }, { dryrun: true }));
  assert.equal(e.field, 'options.dryrun');
  assert.match(e.message, /known: dryRun, onProgress, signal/);
  const nothing = await rejects(tfe.adminUpdateOrganizations(names, {}));
  assert.equal(nothing.kind, 'validation');
  const bad = await rejects(tfe.adminUpdateOrganizations(names, { planTimeout: 'soon' }));
  assert.equal(bad.field, '/data/attributes/plan-timeout');
});

test('grantUsage: each grant used, unused or unknown with its reason; options checked; a stop leaves the rest unknown; revokeDocument', async () => {
  await control('/_sandbox/reset', '');
  await control('/_sandbox/release', JSON.stringify({ release: 'current' }));
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const seen = [];
  const grants = await tfe.grantUsage({ producers: ['acme-networking', 'umbrella-ops'], onProgress: (d, t) => seen.push([d, t]) });
  const of = (p, c) => grants.find((g) => g.producer === p && g.consumer === c);
  // umbrella-research's Explorer is closed to a site admin's token (the sandbox's undocumented case).
  const closed = of('umbrella-ops', 'umbrella-research');
  assert.equal(closed.usage, 'unknown');
  assert.match(closed.reason, /404/);
  assert.equal(closed.workspaceCount, 0);
  for (const c of ['acme-payments', 'acme-data']) {
    const g = of('acme-networking', c);
    assert.ok(['used', 'unused'].includes(g.usage), JSON.stringify(g));
    assert.equal(g.registry, 'modules');
    if (g.usage === 'used') {
      assert.ok(g.items.length > 0 && g.items.every((i) => i.name && i.version && i.workspaces.length === i.workspaceCount));
      assert.equal(g.workspaceCount, g.items.reduce((n, i) => n + i.workspaceCount, 0));
    }
  }
  assert.deepEqual(seen.at(-1), [3, 3], 'three consumer organizations, each read once');
  const providers = await tfe.grantUsage({ registry: 'providers', producers: ['acme-networking'] });
  assert.deepEqual(providers.map((g) => [g.consumer, g.registry]).sort(), [['acme-data', 'providers'], ['acme-payments', 'providers']]);
  // A stopped read: every grant unknown, none guessed.
  const controller = new AbortController();
  controller.abort();
  const stopped = await tfe.grantUsage({ producers: ['acme-security'], signal: controller.signal });
  assert.equal(stopped.length, 3);
  assert.ok(stopped.every((g) => g.usage === 'unknown' && /stopped/.test(g.reason)));
  // Options checked before any request.
  for (const [options, field] of [[{ registry: 'things' }, 'options.registry'], [{ producers: ['a b'] }, 'options.producers[0]'],
    [{ producers: 'acme' }, 'options.producers'], [{ onProgres: () => {} }, 'options.onProgres']]) {
    const e = await rejects(tfe.grantUsage(options));
    assert.equal(e.kind, 'validation');
    assert.equal(e.field, field);
  }
  // The revoking document: the unused grants only, of those asked.
  const all = grants.concat(providers);
  const doc = lib.revokeDocument(all);
  for (const g of all.filter((x) => x.usage === 'unused')) {
    const list = doc.organizations[g.producer][g.registry === 'modules' ? 'module-consumers' : 'provider-consumers'];
    assert.ok(!list.includes(g.consumer));
  }
  assert.ok(lib.checkSnapshot(JSON.stringify(doc)).length === 0);
  // revokeNow: the lists as the instance holds them now (a grant made since the audit kept),
  // specific sharing said outright.
  const every = await tfe.grantUsage({});
  const target = every.find((g) => g.usage === 'unused' && !g.global);
  assert.ok(target, 'the seed has an unused grant');
  const listed = every.filter((g) => g.producer === target.producer && !g.global).map((g) => g.consumer);
  await tfe.adminSetModuleConsumers(target.producer, [...listed, 'vandelay-imports']);
  const now = await tfe.revokeNow([target]);
  const list = now.organizations[target.producer]['module-consumers'];
  assert.ok(list.includes('vandelay-imports'), 'granted since the audit: kept');
  assert.ok(!list.includes(target.consumer));
  assert.equal(now.organizations[target.producer].admin['global-module-sharing'], false);
  await control('/_sandbox/reset', '');
  assert.throws(() => lib.revokeDocument([{ producer: 1 }]), (e) => e.field === 'grants' && !/serde|line \d+ column/.test(e.message));
});

test('registry sharing (newer releases): registry-partnerships, provider consumers, the provider producer filter', async () => {
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  await tfe.adminSetRegistryPartnerships('acme-security', { moduleConsumers: ['acme-data', 'acme-payments'], providerConsumers: ['acme-data'] });
  const providers = await tfe.adminListProviderConsumers('acme-security');
  assert.deepEqual(providers.items.map((o) => o.name), ['acme-data']);
  assert.equal(providers.pagination.totalCount, 1);
  const every = await tfe.adminListAllProviderConsumers('acme-security', (p) => assert.equal(p.items, 1));
  assert.deepEqual(every.map((o) => o.name), ['acme-data']);
  assert.deepEqual((await tfe.adminListModuleConsumers('acme-security')).items.map((o) => o.name), ['acme-data', 'acme-payments']);
  // Every page of the module consumers (one per page of 1 here), and of the module producers.
  const modulePages = [];
  const everyModule = await tfe.adminListAllModuleConsumers('acme-security', (p) => modulePages.push(p.items));
  assert.deepEqual(everyModule.map((o) => o.name), ['acme-data', 'acme-payments']);
  assert.deepEqual(modulePages.at(-1), 2);
  const producers1 = (await tfe.listModuleProducers('acme-data')).items.map((o) => o.name).sort();
  const everyProducer = await tfe.listAllModuleProducers('acme-data');
  assert.deepEqual(everyProducer.map((o) => o.name).sort(), producers1);
  assert.ok(everyProducer.some((o) => o.name === 'acme-security'));
  // A list left out stays; an empty list shares with nobody.
  await tfe.adminSetRegistryPartnerships('acme-security', { providerConsumers: [] });
  assert.equal((await tfe.adminListProviderConsumers('acme-security')).items.length, 0);
  assert.equal((await tfe.adminListModuleConsumers('acme-security')).items.length, 2);
  const producers = await tfe.adminListOrganizations({ providerProducer: true, pageSize: 100 });
  assert.ok(producers.items.every((o) => o.globalProviderSharing || ['acme-networking', 'hc-nomad'].includes(o.name)), producers.items.map((o) => o.name).join());
  assert.equal(typeof producers.items[0].globalProviderSharing, 'boolean');
  // Refused before any request: a bad name (pointed at by index), an unknown key.
  const offline = new lib.TfeClient({ baseUrl: 'http://127.0.0.1:9', token: ADMIN, maxRetries: 0 });
  const bad = await rejects(offline.adminSetRegistryPartnerships('acme-security', { moduleConsumers: ['ok', 'Not A Name!'] }));
  assert.equal(bad.field, '/data/attributes/module_consumers/1');
  const key = await rejects(offline.adminSetRegistryPartnerships('acme-security', { modules: [] }));
  assert.equal(key.field, 'consumers.modules');
  await tfe.adminSetRegistryPartnerships('acme-security', { moduleConsumers: [] });
});

test('API requests are made with cache: "no-store" (nothing kept in an HTTP cache)', async () => {
  const real = globalThis.fetch;
  const modes = [];
  globalThis.fetch = (request, init) => { modes.push(request instanceof Request ? request.cache : init?.cache); return real(request, init); };
  try {
    const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
    await tfe.getOrganization('hashicorp');
    await tfe.adminListOrganizations({ pageSize: 5 });
  } finally {
    globalThis.fetch = real;
  }
  assert.deepEqual(modes, ['no-store', 'no-store']);
});

// current-tfe.md through the package: the instance, and one timeout of each kind whatever
// names the release uses (the sandbox answers as another release from /_sandbox/release).
test('instanceInfo and the timeouts under each release', async () => {
  const release = (r) => control('/_sandbox/release', JSON.stringify({ release: r }));
  try {
    for (const [era, version, current, api] of [['current', 'v202507-1', true, 'registry-partnerships'], ['202103', 'v202103-1', false, 'relationships']]) {
      await release(era);
      const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
      const info = await tfe.instanceInfo();
      assert.equal(info.release, version, era);
      assert.equal(info.siteAdmin, true);
      assert.equal(info.apiVersion, '2.6');
      assert.equal(info.rateLimit, 30);
      assert.equal(info.features.currentTimeoutNames, current, era);
      assert.equal(info.features.sharingApi, api, era);
      assert.equal(info.generalSettings.id, 'general');
      assert.deepEqual([info.generalSettings.planTimeout, info.generalSettings.applyTimeout], ['2h', '24h']);

      const set = await tfe.adminUpdateOrganization('hashicorp', { applyTimeout: '3h', planTimeout: null });
      assert.deepEqual([set.applyTimeout, set.planTimeout], ['3h', null], era);
      assert.equal('terraformBuildWorkerApplyTimeout' in set, false, 'one timeout of each kind');
      const state = await (await fetch(URL_ + '/_sandbox/state')).json();
      assert.equal(state.orgs.find((o) => o.attributes.name === 'hashicorp').admin['apply-timeout'], '3h', era);
      // A bulk "back to the instance default" plans the organizations that have a timeout.
      const plan = (await tfe.adminUpdateOrganizations(['hashicorp'], { applyTimeout: null }, { dryRun: true })).items;
      assert.equal(plan[0].outcome, 'planned', `${era}: ${JSON.stringify(plan[0])}`);
      await tfe.adminUpdateOrganization('hashicorp', { applyTimeout: null });
      // Module consumers through the call this release has, learned once.
      await tfe.adminSetModuleConsumers('platform-core', ['acme-data']);
      assert.deepEqual((await tfe.adminListAllModuleConsumers('platform-core')).map((o) => o.name), ['acme-data'], era);
    }
    // Not a site admin: the release, no settings.
    const member = await new lib.TfeClient({ baseUrl: URL_, token: 'sandbox-member-token' }).instanceInfo();
    assert.deepEqual([member.siteAdmin, member.generalSettings, member.release], [false, null, 'v202103-1']);
  } finally {
    await release('current');
    await control('/_sandbox/reset', '');
  }
});

test('configuration as data: check, diff, plan and undo are pure; apply checks the plan before any request', async () => {
  const doc = { format: 'tfe-orgs/snapshot@1', organizations: { acme: { admin: { 'plan-timeout': '2h', 'is-disabled': false }, 'module-consumers': ['b', 'a'] } } };
  assert.deepEqual(lib.checkSnapshot(doc), []);
  assert.deepEqual(lib.checkSnapshot(JSON.stringify(doc)), [], 'its JSON text too');
  const problems = lib.checkSnapshot({ format: 'tfe-orgs/snapshot@2', organizations: { acme: { admin: { 'workspace-limit': -1, colour: 'red' } } } });
  assert.deepEqual(problems.map((p) => p.field), ['/format', '/organizations/acme/admin/colour']);
  assert.match(problems[1].message, /colour is not a admin attribute a snapshot holds/);
  const live = { format: 'tfe-orgs/snapshot@1', organizations: { acme: { admin: { 'plan-timeout': null, 'is-disabled': false, 'apply-timeout': '1h' }, 'module-consumers': ['a'] }, other: {} } };
  const differences = lib.diff(doc, live);
  assert.deepEqual(differences.map((d) => [d.organization, d.field, d.change, d.from, d.to]), [
    ['acme', 'admin/plan-timeout', 'changed', '2h', null],
    ['acme', 'module-consumers', 'removed', 'b', null],
    ['other', '', 'extra', null, null],
  ]);
  const withInstance = { ...doc, instance: { url: 'https://tfe.example.com/api/v2', 'taken-at': '2026-12-01T00:00:00Z' } };
  assert.deepEqual(lib.diff(JSON.stringify(withInstance), JSON.stringify(live)), differences, 'JSON text, an instance: the same');
  // Organizations written alike in both are equal, unread; one that differs is checked in full.
  const same = { format: 'tfe-orgs/snapshot@1', organizations: { x: { admin: { 'plan-timeout': '1h' } } } };
  assert.deepEqual(lib.diff(same, same), []);
  // diff reads the structure of what differs; plan (and checkSnapshot) each value's rules too.
  const misspelt = await rejects(Promise.resolve().then(() => lib.diff({ ...same, organizations: { x: { admin: { colour: 'red' } } } }, same)));
  assert.equal(misspelt.field, 'a/organizations/x/admin/colour');
  const soon = { ...same, organizations: { x: { admin: { 'plan-timeout': 'soon' } } } };
  assert.equal(lib.diff(soon, same).length, 1);
  const broken = await rejects(Promise.resolve().then(() => lib.plan(soon, same)));
  assert.equal(broken.field, 'desired/organizations/x/admin/plan-timeout');
  const notJson = await rejects(Promise.resolve().then(() => lib.diff('{"format": ', same)));
  assert.doesNotMatch(notJson.message, /line \d+|column/);
  const typed = lib.checkSnapshot({ format: 'tfe-orgs/snapshot@1', organizations: { x: 'all' } });
  assert.doesNotMatch(typed[0].message, /struct|OrganizationSnapshot|line \d+/, typed[0].message);
  const bad = await rejects(Promise.resolve().then(() => lib.diff({ format: 'nope' }, live)));
  assert.equal(bad.kind, 'validation');
  assert.equal(bad.field, 'a/format');
  assert.doesNotMatch(bad.message, /line \d+ column|tfe_orgs::|serde/);
  const plan = lib.plan(doc, live);
  assert.deepEqual(plan, { writes: [{ organization: 'acme', admin: { 'plan-timeout': '2h' }, modules: { consumers: ['a', 'b'] } }], missing: [] });
  assert.deepEqual(lib.undoOf(plan, live).organizations, { acme: { admin: { 'plan-timeout': null }, 'module-consumers': ['a'] } });
  // Every document the package writes is one its schema accepts: the undo, a snapshot of the
  // sandbox; and the schema refuses what checkSnapshot refuses for its shape.
  const schema = JSON.parse(readFileSync(require.resolve('tfe-orgs/snapshot.schema.json'), 'utf8'));
  const conforms = new Ajv2020({ allErrors: true }).compile(schema);
  const taken = await new lib.TfeClient({ baseUrl: URL_, token: ADMIN }).snapshot();
  for (const written of [lib.undoOf(plan, live), taken, doc]) assert.ok(conforms(written), JSON.stringify(conforms.errors));
  assert.ok(Object.keys(taken.organizations).length >= 30 && taken.instance.url === URL_ + '/api/v2');
  assert.ok(!conforms({ format: 'tfe-orgs/snapshot@1', organizations: { acme: { admin: { colour: 'red' } } } }));
  assert.ok(!conforms({ format: 'tfe-orgs/snapshot@2' }));
  const tfe = new lib.TfeClient({ baseUrl: URL_, token: ADMIN });
  const refused = await rejects(tfe.apply({ writes: [{ organization: 'acme', admin: { 'plan-timeout': 'soon' } }], missing: [] }));
  assert.equal(refused.kind, 'validation');
  assert.equal(refused.field, 'plan/writes/0/admin/plan-timeout');
  // A write the instance refuses: one failed item carrying its TfeError, the others done.
  const mixed = await tfe.apply({ writes: [{ organization: 'no-such-org', admin: { 'access-beta-tools': true } }, { organization: 'hashicorp', admin: { 'plan-timeout': '2h' } }], missing: [] });
  assert.deepEqual([mixed.done, mixed.failed, mixed.notSent], [1, 1, 0]);
  assert.equal(mixed.items[0].outcome, 'failed');
  assert.ok(mixed.items[0].error instanceof lib.TfeError);
  assert.equal(mixed.items[0].error.kind, 'not-found');
  assert.equal(mixed.items[1].error, undefined);
  const notAPlan = await rejects(tfe.apply({ writes: 'all' }));
  assert.match(notAPlan.message, /^plan: not a plan from plan\(\)/);
  assert.doesNotMatch(notAPlan.message, /line \d+ column/);
});
