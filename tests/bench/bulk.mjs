// Bulk admin update at scale: 1,000 organizations at 30 requests/second per token and 100 ms of
// latency. Ours (adminUpdateOrganizations: a plan read from the admin list, then the writes with
// rate × latency in flight under a 30 rps limiter) against the floor — every request of the run
// (plan pages + writes) at 30 per second plus one round trip — and against the loop a script
// writes (one adminUpdateOrganization after another), measured on 300 organizations in the same
// run. Prints a table, writes target/bench/bulk.json.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../support/browser.mjs';

const require = createRequire(join(process.env.SCRATCH, 'package.json'));
const { TfeClient } = require('tfe-orgs');
const OUT = process.env.BENCH_OUT;
const LATENCY = 100;

const sandbox = await startSandbox(process.env.SANDBOX_BIN, ['--generate', '1000', '--rate-limit', '30', '--latency-ms', String(LATENCY)]);
const base = sandbox.base;
const token = 'sandbox-admin-token';
const faults = async (body) => (await fetch(base + '/_sandbox/faults', { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body })).json();
const state = async () => (await (await fetch(base + '/_sandbox/state')).json()).orgs;

const names = (await state()).map((o) => o.attributes.name).filter((n) => n.startsWith('generated-'));
const rows = [];

async function measure(name, count, run) {
  await faults(JSON.stringify({ 'rate-limit': 30, 'latency-ms': LATENCY }));
  await new Promise((r) => setTimeout(r, 1100));
  const started = performance.now();
  const requests = await run();
  const seconds = (performance.now() - started) / 1000;
  const floor = requests / 30 + LATENCY / 1000;
  const { 'rate-limited': tooMany } = await faults();
  rows.push({ name, organizations: count, requests, seconds: +seconds.toFixed(3), floorSeconds: +floor.toFixed(3), ratioToFloor: +(seconds / floor).toFixed(3), http429: tooMany });
}

await measure('tfe-orgs adminUpdateOrganizations (plan + writes)', names.length, async () => {
  const result = await new TfeClient({ baseUrl: base, token }).adminUpdateOrganizations(names, { accessBetaTools: true });
  if (result.updated !== names.length) throw new Error(`updated ${result.updated} of ${names.length}`);
  return Math.ceil((names.length + 30) / 100) + names.length; // admin list pages + one PATCH each
});
const orgs = await state();
const lost = names.filter((n) => !orgs.find((o) => o.attributes.name === n).admin['access-beta-tools']);
if (lost.length) throw new Error(`not updated: ${lost.slice(0, 5)}`);

const some = names.slice(0, 300);
await measure('a loop of adminUpdateOrganization (what a script does)', some.length, async () => {
  const tfe = new TfeClient({ baseUrl: base, token });
  for (const name of some) await tfe.adminUpdateOrganization(name, { accessBetaTools: false });
  return some.length;
});
sandbox.process.kill();

console.log(`\nBulk admin update (30 rps per token, ${LATENCY} ms latency)`);
console.log('| variant | orgs | requests | wall s | floor s | ratio to floor | 429s |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.organizations} | ${r.requests} | ${r.seconds} | ${r.floorSeconds} | ${r.ratioToFloor} | ${r.http429} |`);
const ours = rows[0];
console.log(`\ntarget: ratio <= 1.10, zero 429s, every organization updated once — ${ours.ratioToFloor <= 1.1 && ours.http429 === 0 ? 'met' : 'NOT met'}`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'bulk.json'), JSON.stringify(rows, null, 2));
