// Decode speed in headless Chromium: one 100-organization admin page with its owners included,
// decoded from the response text (1) into Rust structs (what the admin page does), (2) into the
// JS objects the npm API returns, against (0) a plain-JS baseline in the same page: JSON.parse
// plus mapping to camelCase objects. Interleaved rounds, medians. Writes target/bench/decode.json.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startServer } from '../support/browser.mjs';

const SCRATCH = process.env.SCRATCH;
const OUT = process.env.BENCH_OUT;
const site = join(SCRATCH, 'decode-bench');
mkdirSync(site, { recursive: true });
// The web build with the bench-only `checkAdminOrganizationsPage` (`cargo xtask bench` makes it).
cpSync(process.env.BENCH_WEB, join(site, 'tfe-orgs'), { recursive: true });
writeFileSync(join(site, 'index.html'), '<!doctype html><title>decode bench</title><script type="module" src="./bench.js"></script>');
writeFileSync(join(site, 'bench.js'), `
import init, { checkAdminOrganizationsPage, decodeAdminOrganizationsPage } from './tfe-orgs/tfe_orgs.js';
await init();
const res = await fetch('/api/v2/admin/organizations?include=owners&page%5Bnumber%5D=1&page%5Bsize%5D=100',
  { headers: { authorization: 'Bearer sandbox-admin-token' } });
const text = await res.text();
const camel = (k) => k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const mapKeys = (o) => Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [camel(k), v]));
function baseline(text) {
  const doc = JSON.parse(text);
  const users = new Map((doc.included || []).filter((r) => r.type === 'users').map((u) => [u.id, { id: u.id, ...mapKeys(u.attributes) }]));
  return {
    items: doc.data.map((o) => ({ id: o.id, ...mapKeys(o.attributes), owners: (o.relationships?.owners?.data || []).map((r) => users.get(r.id)) })),
    pagination: mapKeys(doc.meta?.pagination),
    statusCounts: doc.meta?.['status-counts'],
  };
}
const variants = {
  baseline: () => baseline(text).items.length,
  rustStructs: () => checkAdminOrganizationsPage(text),
  jsObjects: () => decodeAdminOrganizationsPage(text).items.length,
};
const per = 50;
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const f of Object.values(variants)) for (let i = 0; i < 200; i++) f(); // warm up
for (let round = 0; round < 30; round++) {
  for (const [name, f] of Object.entries(variants)) {
    const t0 = performance.now();
    for (let i = 0; i < per; i++) if (f() !== 100) throw new Error(name + ' did not decode 100 organizations');
    samples[name].push((performance.now() - t0) / per);
  }
}
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
window.benchResult = { bytes: text.length, owners: (JSON.parse(text).included || []).length,
  ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) };
`);

const sandbox = await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', site, '--generate', '200']);
const browser = await launchChromium();
const page = await browser.newPage();
page.on('pageerror', (e) => { console.error(e); process.exitCode = 1; });
await page.goto(sandbox.base + '/index.html');
const result = await (await page.waitForFunction(() => window.benchResult, null, { timeout: 120000 })).jsonValue();
await browser.close();
sandbox.process.kill();

const { baseline, rustStructs, jsObjects } = result.ms;
const report = {
  bytes: result.bytes,
  includedOwners: result.owners,
  baselineMs: +baseline.toFixed(4),
  rustStructsMs: +rustStructs.toFixed(4),
  jsObjectsMs: +jsObjects.toFixed(4),
  rustStructsRatio: +(rustStructs / baseline).toFixed(3),
  jsObjectsRatio: +(jsObjects / baseline).toFixed(3),
};
console.log(`\nDecode speed in Chromium (100 organizations + ${result.owners} included owners, ${result.bytes} bytes; medians)`);
console.log('| variant | ms per page | ratio to JSON.parse + map | target |');
console.log('|---|---|---|---|');
console.log(`| JSON.parse + camelCase mapping (baseline) | ${report.baselineMs} | 1.00 | |`);
console.log(`| into Rust structs (the admin page) | ${report.rustStructsMs} | ${report.rustStructsRatio} | <= 1.0 ${report.rustStructsRatio <= 1 ? 'met' : 'NOT met'} |`);
console.log(`| into the npm API's JS objects | ${report.jsObjectsMs} | ${report.jsObjectsRatio} | <= 1.5 ${report.jsObjectsRatio <= 1.5 ? 'met' : 'NOT met'} |`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'decode.json'), JSON.stringify(report, null, 2));
