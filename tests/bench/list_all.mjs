// List-all at scale: 10,000 organizations, page size 100, a sandbox enforcing its API rate limit
// per token (30 requests/second, TFE's default, and 100, a site that raised it: current-tfe.md),
// at 20, 100 and 300 ms of latency. Ours (adminListAllOrganizations: the budget the instance
// states in X-RateLimit-Limit, rate × latency pages in flight) against two baselines run the
// same way in the same run: sequential paging with no client limiter (python-tfe, terrasnek) and
// sequential paging under a fixed 20 rps limiter (go-tfe). Prints a table, writes
// target/bench/list-all.json and list-all.svg.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../support/browser.mjs';

const require = createRequire(join(process.env.SCRATCH, 'package.json'));
const { TfeClient } = require('tfe-orgs');
const OUT = process.env.BENCH_OUT;
const LATENCIES = [20, 100, 300];
const RATES = [30, 100];

const sandbox = await startSandbox(process.env.SANDBOX_BIN, ['--generate', '9970', '--rate-limit', '30', '--latency-ms', '20']);
const base = sandbox.base;
const token = 'sandbox-admin-token';

async function faults(body) {
  const r = await fetch(base + '/_sandbox/faults', { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body });
  return r.json();
}

async function sequential(client) {
  const first = await client.adminListOrganizations({ pageSize: 100, pageNumber: 1 });
  const items = [...first.items];
  for (let n = 2; n <= first.pagination.totalPages; n++) {
    items.push(...(await client.adminListOrganizations({ pageSize: 100, pageNumber: n })).items);
  }
  return items;
}

// Each variant prepares (untimed) and returns what is timed. "After one request": the client has
// answered something already (the page connects first, a script may ask instanceInfo), so it
// knows the instance's rate from the start; a fresh client spends TFE's 30 until the first answer.
const variants = [
  ['tfe-orgs adminListAllOrganizations, fresh client (the instance\'s rate from its first answer)', async () => {
    const c = new TfeClient({ baseUrl: base, token });
    return () => c.adminListAllOrganizations({ pageSize: 100 });
  }],
  ['tfe-orgs adminListAllOrganizations, after one request (the rate known)', async () => {
    const c = new TfeClient({ baseUrl: base, token });
    await c.listOrganizations({ pageSize: 1 });
    await new Promise((r) => setTimeout(r, 1100)); // that request leaves the rate window
    return () => c.adminListAllOrganizations({ pageSize: 100 });
  }],
  ['sequential paging, no limiter (python-tfe, terrasnek)', async () => () => sequential(new TfeClient({ baseUrl: base, token, requestsPerSecond: 10000, maxRetries: 20 }))],
  ['sequential paging, 20 rps limiter (go-tfe)', async () => () => sequential(new TfeClient({ baseUrl: base, token, requestsPerSecond: 20, maxRetries: 20 }))],
];

const rows = [];
for (const rate of RATES) {
  for (const latency of LATENCIES) {
    for (const [name, prepare] of variants) {
      await faults(JSON.stringify({ 'rate-limit': rate, 'latency-ms': latency })); // resets the window and the counters
      await new Promise((r) => setTimeout(r, 1100));
      const run = await prepare();
      const { 'rate-limited': before } = await faults();
      const started = performance.now();
      const items = await run();
      const seconds = (performance.now() - started) / 1000;
      const pages = Math.ceil(items.length / 100);
      // The fastest any client may go: the pages at the instance's rate, plus one round trip.
      const floor = pages / rate + latency / 1000;
      const { 'rate-limited': after } = await faults();
      const tooMany = after - before;
      rows.push({ rate, latency, name, organizations: items.length, pages, seconds: +seconds.toFixed(3), floorSeconds: +floor.toFixed(3), ratioToFloor: +(seconds / floor).toFixed(3), http429: tooMany });
    }
  }
}
sandbox.process.kill();

console.log('\nList-all at scale (10,000 organizations, page size 100, the instance\'s rate per token)');
console.log('| rate | latency | variant | orgs | wall s | floor s | ratio to floor | 429s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.rate} rps | ${r.latency} ms | ${r.name} | ${r.organizations} | ${r.seconds} | ${r.floorSeconds} | ${r.ratioToFloor} | ${r.http429} |`);
const ours = rows.filter((r) => r.name.startsWith('tfe-orgs'));
const met = ours.every((r) => r.ratioToFloor <= 1.1 && r.http429 === 0);
console.log(`\ntarget: ratio <= 1.10 with zero 429s at every rate and latency — ${met ? 'met' : 'NOT met'} (${ours.map((r) => `${r.rate} rps ${r.latency} ms: ${r.ratioToFloor}`).join(', ')})`);

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'list-all.json'), JSON.stringify(rows, null, 2));
const max = Math.max(...rows.map((r) => r.seconds));
const bars = rows.map((r, i) => `<rect x="300" y="${20 + i * 40}" width="${(r.seconds / max) * 380}" height="24" fill="${r.name.startsWith('tfe-orgs') ? '#5c4ee5' : '#999'}"/>`
  + `<text x="290" y="${37 + i * 40}" text-anchor="end" font-size="11">${r.rate} rps ${r.latency} ms · ${r.name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`
  + `<text x="${305 + (r.seconds / max) * 380}" y="${37 + i * 40}" font-size="11">${r.seconds}s (${r.http429} × 429)</text>`).join('');
writeFileSync(join(OUT, 'list-all.svg'), `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="${40 + rows.length * 40}" font-family="sans-serif">${bars}</svg>`);
