// The fault suite: a scripted admin session through the packed package against a sandbox that
// answers 20% of requests with 5xx, limits each token to 30 requests/second and adds 50 ms of
// latency. The session must end with the sandbox exactly as intended: no lost write, no
// duplicate create, and every failure surfaced as a typed TfeError.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startSandbox } from '../support/browser.mjs';

const require = createRequire(join(process.env.SCRATCH, 'package.json'));
const { TfeClient } = require('tfe-orgs');
let sandbox;

after(() => sandbox?.process.kill());

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
    await tfe.adminUpdateOrganization(name, { accessBetaTools: true, terraformBuildWorkerPlanTimeout: '90m' });
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
        assert.equal(typed(e).kind, 'server', e.message);
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
    assert.equal(orgs.get(name).admin.access_beta_tools, true, name);
    assert.equal(orgs.get(name).admin.terraform_build_worker_plan_timeout, '90m', name);
  }
  for (const [name, consumers] of sharing) {
    assert.deepEqual(orgs.get(name).consumers, consumers.filter((c) => !deleted.includes(c)), name);
  }
  assert.ok(surfaced.every((k) => k === 'server' || k === 'not-found'), surfaced.join());
  const faults = await (await fetch(sandbox.base + '/_sandbox/faults')).json();
  assert.ok(faults['injected-errors'] >= 20, `5xx were injected: ${JSON.stringify(faults)}`);
});
