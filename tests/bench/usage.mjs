// Which grants are in use, at scale (#33): 10,000 organizations, 2,000 producers, 5,000 specific
// grants (each producer shares with two or three organizations; 60 % of the grants are used by a
// few workspaces), an instance enforcing RATE requests/second per token at LATENCY ms.
//  - The library (the npm package's grantUsage): the producer list, each producer's consumers,
//    then each consumer's Explorer once. Its floor: those requests at the instance's rate.
//  - The page: the usage read after the sharing audit has read the sharing (reused, not read
//    again): only the Explorer reads. Its floor: one read per consumer at the instance's rate.
// Also printed: the Explorer-only floor for the library (what no client can beat without the
// grants themselves). Writes target/bench/usage.json.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.mjs';
import { connectedPage, startBenchServer } from './producers.mjs';

const OUT = process.env.BENCH_OUT;
const RATE = 50;
const LATENCY = 20;
const lib = createRequire(join(process.env.SCRATCH, 'package.json'))('tfe-orgs');
const { server, base, control } = await startBenchServer('usage', RATE, LATENCY);

// Every fifth generated organization shares with the two (or, every other one, three) before
// it: 2,000 producers, 5,000 grants, 5,000 distinct consumers.
const state = await control('state');
const byIndex = new Map();
for (const org of state.orgs) {
  const m = /^generated-(\d+)$/.exec(org.attributes.name);
  org.admin['global-module-sharing'] = false;
  org.admin['global-provider-sharing'] = false;
  org.consumers = [];
  org.provider_consumers = [];
  org.usage = [];
  if (m) byIndex.set(Number(m[1]), org);
}
const name = (i) => `generated-${String(i).padStart(5, '0')}`;
let grants = 0;
let used = 0;
for (const [i, org] of byIndex) {
  if (i % 5 !== 0) continue;
  const k = (i / 5) % 2 === 0 ? 3 : 2;
  for (let j = 1; j <= k; j++) {
    org.consumers.push(name(i - j));
    grants += 1;
    // 60 % used, by one to three workspaces.
    if ((i * 7 + j * 13) % 10 < 6) {
      used += 1;
      const n = 1 + ((i + j) % 3);
      byIndex.get(i - j).usage.push({ view: 'modules', name: 'network', source: `localterraform.com/${org.attributes.name}/network/aws`, version: '1.2.0', registry_type: 'private', workspaces: Array.from({ length: n }, (_, w) => `app-${w + 1}`) });
    }
  }
}
await control('state', 'PUT', state);
const producers = [...byIndex.keys()].filter((i) => i % 5 === 0).length;
const consumers = grants;
const libraryRequests = Math.ceil(producers / 100) + producers + consumers;
const floorLibrary = libraryRequests / RATE + LATENCY / 1000;
const floorExplorer = consumers / RATE + LATENCY / 1000;

async function quiet() {
  await control('faults', 'POST', { 'rate-limit': RATE, 'latency-ms': LATENCY });
  await new Promise((r) => setTimeout(r, 1100)); // the rate window starts empty
}

// The library.
await quiet();
const client = new lib.TfeClient({ baseUrl: base, token: 'sandbox-admin-token' });
let started = performance.now();
const result = await client.grantUsage({});
const librarySeconds = (performance.now() - started) / 1000;
const libraryTooMany = (await control('faults'))['rate-limited'];
const counted = { used: result.filter((g) => g.usage === 'used').length, unused: result.filter((g) => g.usage === 'unused').length };

// The page: the audit first (its sharing read in full), then the usage.
const browser = await launchChromium();
await quiet();
const { context, page } = await connectedPage(browser, base);
await page.getByRole('link', { name: 'Sharing audit' }).click();
await page.locator('tr.producer-row').first().waitFor({ timeout: 300000 });
await page.locator('td.names[data-reading="true"]').first().waitFor({ state: 'detached', timeout: 300000 }).catch(() => {});
await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached', timeout: 300000 });
await quiet();
started = performance.now();
await page.locator('#read-usage').click();
await page.locator('.usage-summary').waitFor({ timeout: 600000 });
const pageSeconds = (performance.now() - started) / 1000;
const pageUnused = Number(await page.locator('.usage-summary').getAttribute('data-unused'));
const pageTooMany = (await control('faults'))['rate-limited'];
await context.close();
await browser.close();
server.process.kill();

const rows = [
  { name: 'library: grantUsage (producers, consumers, Explorer)', seconds: +librarySeconds.toFixed(3), floorSeconds: +floorLibrary.toFixed(3), ratioToFloor: +(librarySeconds / floorLibrary).toFixed(3), ratioToExplorerFloor: +(librarySeconds / floorExplorer).toFixed(3), http429: libraryTooMany, ...counted },
  { name: 'page: usage after the audit (Explorer only)', seconds: +pageSeconds.toFixed(3), floorSeconds: +floorExplorer.toFixed(3), ratioToFloor: +(pageSeconds / floorExplorer).toFixed(3), ratioToExplorerFloor: +(pageSeconds / floorExplorer).toFixed(3), http429: pageTooMany, used: null, unused: pageUnused },
];
console.log(`\nGrant usage (10,000 organizations, ${producers} producers, ${grants} grants of which ${used} used, ${RATE} rps, ${LATENCY} ms)`);
console.log('| run | seconds | floor s | ratio to floor | ratio to Explorer-only floor | 429s | unused found |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.seconds} | ${r.floorSeconds} | ${r.ratioToFloor} | ${r.ratioToExplorerFloor} | ${r.http429} | ${r.unused} |`);
const ok = rows.every((r) => r.ratioToFloor <= 1.1 && r.http429 === 0) && counted.unused === grants - used && pageUnused === grants - used;
console.log(`\ntarget: within 1.10 × the floor, zero 429s, every unused grant found — ${ok ? 'met' : 'NOT met'}`);
writeFileSync(join(OUT, 'usage.json'), JSON.stringify(rows, null, 2));
