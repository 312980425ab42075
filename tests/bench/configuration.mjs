// Configuration as data at scale: a snapshot of 10,000 organizations, 2,000 of them sharing
// their modules with a specific consumer, and an apply of 1,000 mixed changes (admin settings,
// organization settings, consumer lists), through the npm package's nodejs build against a
// sandbox enforcing 30 requests/second per token at 20 ms of latency. The floors: the requests
// the work needs at the instance's rate, plus one round trip — for the snapshot the pages of the
// two list-alls and of the producer list plus one consumer read per producer, for the apply one
// request per write. Writes target/bench/configuration.json.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../support/browser.mjs';
import { controlOf, twoThousandProducers } from './producers.mjs';

const require = createRequire(join(process.env.SCRATCH, 'package.json'));
const tfe = require('tfe-orgs');
const OUT = process.env.BENCH_OUT;
const RATE = 30;
const LATENCY = 20;
const token = 'sandbox-admin-token';

const sandbox = await startSandbox(process.env.SANDBOX_BIN, ['--generate', '9970', '--rate-limit', String(RATE), '--latency-ms', String(LATENCY)]);
const base = sandbox.base;
const control = controlOf(base);
await twoThousandProducers(control);
const settle = async () => {
  await control('faults', 'POST', { 'rate-limit': RATE, 'latency-ms': LATENCY }); // resets the window and the counters
  await new Promise((r) => setTimeout(r, 1100));
};
const limited = async () => (await control('faults'))['rate-limited'];

const rows = [];
async function measure(name, floorRequests, run) {
  await settle();
  const before = await limited();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const floor = floorRequests / RATE + LATENCY / 1000;
  const http429 = (await limited()) - before;
  rows.push({ name, requests: floorRequests, seconds: +seconds.toFixed(2), floorSeconds: +floor.toFixed(2), ratioToFloor: +(seconds / floor).toFixed(3), http429 });
  return result;
}

const client = new tfe.TfeClient({ baseUrl: base, token });
const admin = await client.adminListOrganizations({ pageSize: 1 });
const total = admin.pagination.totalCount;
const producerCount = (await client.adminListOrganizations({ pageSize: 1, moduleProducer: true })).pagination.totalCount;
const pages = (n) => Math.ceil(n / 100);
const snapshotRequests = pages(total) * 2 + pages(producerCount) + producerCount;
const snap = await measure(`snapshot of ${total} organizations, ${producerCount} producers`, snapshotRequests, () => client.snapshot());

// 1,000 mixed changes, one per organization: 300 consumer lists emptied, 400 plan timeouts,
// 300 emails. The floor counts one request per write the plan holds (and the one read that
// finds the instance's sharing call).
const desired = { format: snap.format, organizations: {} };
const names = Object.keys(snap.organizations).filter((n) => n.startsWith('generated-'));
const sharing = names.filter((n) => snap.organizations[n]['module-consumers']?.length).slice(0, 300);
const others = names.filter((n) => !sharing.includes(n));
sharing.forEach((n) => { desired.organizations[n] = { 'module-consumers': [] }; });
others.slice(0, 400).forEach((n) => { desired.organizations[n] = { admin: { 'plan-timeout': '3h' } }; });
others.slice(400, 700).forEach((n) => { desired.organizations[n] = { settings: { email: `${n}@changed.example` } }; });
const plan = tfe.plan(desired, snap);
const writes = plan.writes.reduce((n, w) => n + (w.admin ? 1 : 0) + (w.settings ? 1 : 0) + (w.modules ? 1 : 0) + (w.providers ? 1 : 0), 0);
const applied = await measure(`apply of ${plan.writes.length} mixed changes (${writes} writes)`, writes + 1, () => client.apply(plan));
if (applied.done !== plan.writes.length) throw new Error(`apply: ${applied.failed} failed, ${applied.notSent} not sent`);
const after = await client.snapshot();
const left = tfe.plan(desired, after).writes.length;
if (left) throw new Error(`the instance does not hold the document after the apply (${left} organizations differ)`);
sandbox.process.kill();

// diff of two 10,000-organization snapshots (both checked, then compared): the median of 5,
// the documents as objects (what snapshot() returns) and as the JSON text of files.
const time = (f) => {
  const runs = [];
  let out;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    out = f();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return [runs[2], out];
};
const [diffMs, differences] = time(() => tfe.diff(snap, after));
const [textA, textB] = [JSON.stringify(snap), JSON.stringify(after)];
const [diffTextMs] = time(() => tfe.diff(textA, textB));
const [planMs] = time(() => tfe.plan(snap, after));

console.log('\nConfiguration as data (30 rps, 20 ms):\n');
console.log('| run | requests needed | wall s | floor s | ratio to floor | 429s |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.requests} | ${r.seconds} | ${r.floorSeconds} | ${r.ratioToFloor} | ${r.http429} |`);
console.log(`\ndiff of two ${Object.keys(after.organizations).length}-organization snapshots (${differences.length} differences): ${diffMs.toFixed(1)} ms as objects, ${diffTextMs.toFixed(1)} ms as JSON text (target < 100 ms); plan: ${planMs.toFixed(1)} ms`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'configuration.json'), JSON.stringify({ rate: RATE, latencyMs: LATENCY, rows, diffMs, diffTextMs, planMs, differences: differences.length }, null, 2));
