// The fault suite: scripted admin sessions through the packed package against a sandbox that
// answers 20% of requests with 5xx, limits each token to 30 requests/second and adds 50 ms of
// latency; the second session also meets 20% of writes applied and then answered 502/503 or cut
// off. Each session must end with the sandbox exactly as intended: no lost write, no duplicate
// create, every failure a typed TfeError, and every outcome the client reported true.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startSandbox } from '../support/browser.mjs';

const require = createRequire(join(process.env.SCRATCH, 'package.json'));
const { TfeClient } = require('tfe-orgs');
let sandbox;

let lossy;

after(() => { sandbox?.process.kill(); lossy?.process.kill(); });

test('a scripted session under 5xx, rate limit and latency ends in the intended state', async () => {
  sandbox = await startSandbox(process.env.SANDBOX_BIN,
    ['--error-rate', '0.2', '--rate-limit', '30', '--latency-ms', '50', '--fault-seed', '42', '--generate', '70']);
  const tfe = new TfeClient({ baseUrl: sandbox.base, token: 'sandbox-admin-token', maxRetries: 10 });
  const surfaced = [];
  const typed = (e) => {
    assert.equal(e.name, 'TfeError', String(e));
    surfaced.push(e.kind);
    return e;
  };

  const all = await tfe.adminListAllOrganizations({ pageSize: 10 });
  assert.equal(all.length, 100);
  const names = all.map((o) => o.id);

  for (const name of names.slice(0, 50)) {
    assert.equal((await tfe.getOrganization(name)).name, name);
  }
  const updated = names.slice(50, 70);
  for (const name of updated) {
    await tfe.adminUpdateOrganization(name, { accessBetaTools: true, planTimeout: '90m' });
  }
  const sharing = new Map();
  for (const [i, name] of names.slice(70, 80).entries()) {
    const consumers = [names[i], names[i + 1]];
    await tfe.adminSetModuleConsumers(name, consumers);
    sharing.set(name, consumers);
  }
  // A create is never retried after a 5xx (it might have happened): the script checks, then
  // creates again only when it did not.
  const created = ['fault-a', 'fault-b', 'fault-c', 'fault-d', 'fault-e'];
  for (const name of created) {
    for (;;) {
      try {
        await tfe.createOrganization({ name, email: `${name}@example.com` });
        break;
      } catch (e) {
        // The answer was lost: the create may have happened.
        assert.equal(typed(e).kind, 'outcome-unknown', e.message);
        const exists = await tfe.getOrganization(name).then(() => true, (n) => (typed(n).kind === 'not-found' ? false : Promise.reject(n)));
        if (exists) break;
      }
    }
  }
  const deleted = names.slice(80, 85);
  for (const name of deleted) await tfe.adminDeleteOrganization(name);

  const state = await (await fetch(sandbox.base + '/_sandbox/state')).json();
  const orgs = new Map(state.orgs.map((o) => [o.attributes.name, o]));
  assert.equal(orgs.size, 100 + 5 - 5);
  for (const name of created) assert.ok(orgs.has(name), `${name} was created`);
  assert.equal(state.orgs.filter((o) => o.attributes.name.startsWith('fault-')).length, 5, 'no duplicate create');
  for (const name of deleted) assert.ok(!orgs.has(name), `${name} was deleted`);
  for (const name of updated) {
    assert.equal(orgs.get(name).admin['access-beta-tools'], true, name);
    assert.equal(orgs.get(name).admin['plan-timeout'], '90m', name);
  }
  for (const [name, consumers] of sharing) {
    assert.deepEqual(orgs.get(name).consumers, consumers.filter((c) => !deleted.includes(c)), name);
  }
  assert.ok(surfaced.every((k) => k === 'outcome-unknown' || k === 'not-found'), surfaced.join());
  const faults = await (await fetch(sandbox.base + '/_sandbox/faults')).json();
  assert.ok(faults['injected-errors'] >= 20, `5xx were injected: ${JSON.stringify(faults)}`);
});

test('writes applied and then lost: every reported outcome is true, the end state exact, no duplicate create', async () => {
  lossy = await startSandbox(process.env.SANDBOX_BIN,
    ['--error-rate', '0.2', '--lost-rate', '0.2', '--rate-limit', '30', '--latency-ms', '20', '--fault-seed', '7', '--generate', '240']);
  const tfe = new TfeClient({ baseUrl: lossy.base, token: 'sandbox-admin-token', maxRetries: 10 });
  const stateNow = async () => (await (await fetch(lossy.base + '/_sandbox/state')).json()).orgs;
  const unknown = [];
  // One write: a success must be true now (checked at once against the sandbox), a failure may
  // only be "outcome unknown" (anything else would be a false failure: these writes are valid),
  // after which `settled()` reads what happened and the write is tried again if it did not.
  async function write(label, call, holds, settled = holds) {
    for (;;) {
      try {
        await call();
        assert.ok(await holds(await stateNow()), `${label}: reported done but not so`);
        return;
      } catch (e) {
        if (e?.code === 'ERR_ASSERTION') throw e;
        assert.equal(e.name, 'TfeError', String(e));
        assert.equal(e.kind, 'outcome-unknown', `${label}: a false failure: ${e.message}`);
        assert.match(e.message, /may have applied/);
        unknown.push(label);
        if (await settled(await stateNow())) return;
      }
    }
  }
  const org = (orgs, name) => orgs.find((o) => o.attributes.name === name);

  const names = (await tfe.adminListAllOrganizations({ pageSize: 100 })).map((o) => o.id);
  assert.equal(names.length, 270);
  for (const name of names.slice(0, 20)) {
    await write(`admin update ${name}`, () => tfe.adminUpdateOrganization(name, { isDisabled: true, applyTimeout: null }),
      (orgs) => org(orgs, name).admin['is-disabled'] === true && org(orgs, name).admin['apply-timeout'] === null);
  }
  for (const [i, name] of names.slice(20, 30).entries()) {
    const consumers = [names[40 + i]];
    await write(`consumers of ${name}`, () => tfe.adminSetModuleConsumers(name, consumers),
      (orgs) => JSON.stringify(org(orgs, name).consumers) === JSON.stringify(consumers));
  }
  for (const name of ['lost-a', 'lost-b', 'lost-c', 'lost-d', 'lost-e', 'lost-f']) {
    await write(`create ${name}`, () => tfe.createOrganization({ name, email: `${name}@example.com` }),
      (orgs) => Boolean(org(orgs, name)));
  }
  const renames = names.slice(30, 36).map((name) => [name, `${name}-renamed`]);
  for (const [from, to] of renames) {
    await write(`rename ${from}`, () => tfe.updateOrganization(from, { name: to }),
      (orgs) => Boolean(org(orgs, to)) && !org(orgs, from));
  }
  for (const name of names.slice(50, 55)) {
    await write(`delete ${name}`, () => tfe.deleteOrganization(name), (orgs) => !org(orgs, name));
  }
  for (const name of names.slice(55, 60)) {
    await write(`admin delete ${name}`, () => tfe.adminDeleteOrganization(name), (orgs) => !org(orgs, name));
  }
  for (const name of names.slice(60, 64)) {
    await write(`retention of ${name}`, () => tfe.setDataRetentionPolicy(name, { deleteOlderThanNDays: 30 }),
      (orgs) => org(orgs, name).data_retention_policy?.delete_older_than_n_days === 30);
  }
  await write('retention delete', () => tfe.deleteDataRetentionPolicy(names[60]), (orgs) => !org(orgs, names[60]).data_retention_policy);

  // A bulk update of 200 organizations under the same faults: every organization ends as
  // intended, every "updated" is true, and a failure is only ever an unknown outcome.
  const many = names.slice(64, 264);
  for (;;) {
    const result = await tfe.adminUpdateOrganizations(many, { accessBetaTools: true });
    const orgsNow = await stateNow();
    for (const item of result.items) {
      if (item.outcome === 'updated') assert.equal(org(orgsNow, item.name).admin['access-beta-tools'], true, item.name);
      if (item.outcome === 'failed') {
        assert.equal(item.error.kind, 'outcome-unknown', `${item.name}: a false failure: ${item.error.message}`);
        unknown.push(`bulk ${item.name}`);
      }
    }
    if (result.failed === 0) break;
  }
  assert.equal(many.length, 200);

  // The end state, exactly.
  const orgs = await stateNow();
  assert.equal(orgs.length, 270 + 6 - 10);
  assert.equal(orgs.filter((o) => o.attributes.name.startsWith('lost-')).length, 6, 'no duplicate create');
  for (const [from, to] of renames) assert.ok(org(orgs, to) && !org(orgs, from), `${from} → ${to}`);
  for (const name of names.slice(0, 20)) assert.equal(org(orgs, name).admin['is-disabled'], true, name);
  const faults = await (await fetch(lossy.base + '/_sandbox/faults')).json();
  assert.ok(faults['lost-answers'] >= 5, `answers were lost: ${JSON.stringify(faults)}`);
  assert.ok(faults['injected-errors'] >= 10, `5xx were injected: ${JSON.stringify(faults)}`);
  // Only creates (never retried) may end unknown with 10 retries (renames settle themselves).
  assert.ok(unknown.every((label) => label.startsWith('create ')), unknown.join());
  for (const name of many) assert.equal(org(orgs, name).admin['access-beta-tools'], true, name);
});
