// tfe-orgs-server: what the proxy adds, and what precompression saves a cold page load.
//  - added latency: the same GET, one at a time over keep-alive, straight to a sandbox and
//    through the proxy to it, interleaved; p50 and p99 of each and their difference;
//  - list-all of 10,000 organizations (30 rps, 20 ms latency) through the proxy ÷ direct
//    (target <= 1.05);
//  - cold load to interactive under an emulated 10 Mbit/s, 40 ms RTT network, the page served
//    raw (no .br/.gz beside it) and precompressed (target <= 1.0 s), with the bytes transferred.
// Medians. Writes target/bench/proxy.json.
import { createRequire } from 'node:module';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, slowLinkPage, startSandbox, startServer } from '../support/browser.mjs';

const require = createRequire(join(process.env.SCRATCH, 'package.json'));
const { TfeClient } = require('tfe-orgs');
const OUT = process.env.BENCH_OUT;
const token = 'sandbox-admin-token';
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const sandbox = await startSandbox(process.env.SANDBOX_BIN, ['--generate', '9970']);
const proxy = await startServer(process.env.SERVER_BIN, ['--upstream', sandbox.base, '--page', process.env.PAGE_DIST]);
const faults = (body) => fetch(sandbox.base + '/_sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// Added latency.
const direct = [], proxied = [];
const once = async (base) => {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/v2/admin/organizations/hashicorp`, { headers: { authorization: `Bearer ${token}` } });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`${base}: ${r.status}`);
  return performance.now() - t0;
};
for (let i = 0; i < 100; i++) { await once(sandbox.base); await once(proxy.base); } // warm both paths
for (let i = 0; i < 2000; i++) {
  direct.push(await once(sandbox.base));
  proxied.push(await once(proxy.base));
}
const latency = {
  requests: direct.length,
  directP50Ms: +percentile(direct, 0.5).toFixed(3), directP99Ms: +percentile(direct, 0.99).toFixed(3),
  proxiedP50Ms: +percentile(proxied, 0.5).toFixed(3), proxiedP99Ms: +percentile(proxied, 0.99).toFixed(3),
};
latency.addedP50Ms = +(latency.proxiedP50Ms - latency.directP50Ms).toFixed(3);
latency.addedP99Ms = +(latency.proxiedP99Ms - latency.directP99Ms).toFixed(3);

// List-all through the proxy ÷ direct, at the rate limit.
const listAll = { direct: [], proxied: [] };
for (let round = 0; round < 2; round++) {
  for (const [name, base] of [['direct', sandbox.base], ['proxied', proxy.base]]) {
    await faults({ 'rate-limit': 30, 'latency-ms': 20 });
    await new Promise((r) => setTimeout(r, 1100));
    const t0 = performance.now();
    const items = await new TfeClient({ baseUrl: base, token }).adminListAllOrganizations({ pageSize: 100 });
    if (items.length !== 10000) throw new Error(`${name}: ${items.length} organizations`);
    listAll[name].push((performance.now() - t0) / 1000);
  }
}
await faults({});
const listAllRatio = +(median(listAll.proxied) / median(listAll.direct)).toFixed(3);

// Cold load: the same page raw and precompressed, under network emulation.
const raw = join(OUT, 'page-raw');
rmSync(raw, { recursive: true, force: true });
cpSync(process.env.PAGE_DIST, raw, { recursive: true });
for (const f of readdirSync(raw)) if (/\.(br|gz)$/.test(f)) rmSync(join(raw, f));
const rawServer = await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', raw]);
const browser = await launchChromium();
async function coldLoad(base) {
  const { context, page, bytes: transferred } = await slowLinkPage(browser);
  await page.addInitScript(() => {
    const seen = () => {
      if (!window.__interactive && document.getElementById('token')) window.__interactive = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
  await page.goto(base + '/');
  const ms = await (await page.waitForFunction(() => window.__interactive, null, { timeout: 60000 })).jsonValue();
  await page.waitForLoadState('networkidle');
  const bytes = transferred();
  await context.close();
  return { ms, bytes };
}
const loads = { raw: [], precompressed: [] };
for (let i = 0; i < 5; i++) {
  loads.raw.push(await coldLoad(rawServer.base));
  loads.precompressed.push(await coldLoad(proxy.base));
}
await browser.close();
for (const p of [rawServer, proxy, sandbox]) p.process.kill();

const cold = Object.fromEntries(Object.entries(loads).map(([k, v]) => [k, { ms: Math.round(median(v.map((x) => x.ms))), bytes: median(v.map((x) => x.bytes)) }]));
const report = {
  latency,
  listAll: { directSeconds: +median(listAll.direct).toFixed(3), proxiedSeconds: +median(listAll.proxied).toFixed(3), ratio: listAllRatio },
  coldLoad: { network: '10 Mbit/s, 40 ms RTT', ...cold, ratio: +(cold.precompressed.ms / cold.raw.ms).toFixed(3) },
};
writeFileSync(join(OUT, 'proxy.json'), JSON.stringify(report, null, 2));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('\ntfe-orgs-server');
console.log('| measure | direct / raw | through the proxy / precompressed | difference or ratio | target |');
console.log('|---|---|---|---|---|');
console.log(`| GET latency p50 (ms, ${latency.requests} requests) | ${latency.directP50Ms} | ${latency.proxiedP50Ms} | +${latency.addedP50Ms} ms | |`);
console.log(`| GET latency p99 (ms) | ${latency.directP99Ms} | ${latency.proxiedP99Ms} | +${latency.addedP99Ms} ms | |`);
console.log(`| list-all 10,000 (s, 30 rps, 20 ms) | ${report.listAll.directSeconds} | ${report.listAll.proxiedSeconds} | ${listAllRatio}× | <= 1.05× ${listAllRatio <= 1.05 ? 'met' : 'NOT met'} |`);
console.log(`| cold load to interactive (ms, 10 Mbit/s, 40 ms RTT) | ${cold.raw.ms} | ${cold.precompressed.ms} | ${report.coldLoad.ratio}× | <= 1000 ms ${cold.precompressed.ms <= 1000 ? 'met' : 'NOT met'} |`);
console.log(`| cold load transfer | ${kb(cold.raw.bytes)} | ${kb(cold.precompressed.bytes)} | ${(cold.precompressed.bytes / cold.raw.bytes).toFixed(3)}× | |`);
