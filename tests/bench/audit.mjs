// The sharing audit at scale (current-tfe.md): 10,000 organizations, 2,000 of them sharing
// their modules with a specific consumer, an instance enforcing 30 requests/second per token at
// 20 ms of latency. Ours against a current release, which counts each producer's consumers: the
// table from the one admin list-all of the producers, the names read behind it. The baseline, in
// the same run: the same page against release 202301 (no counts), where the table waits for one
// consumer read per producer (what the page did before). The floor: the producer list's pages
// at the instance's rate, plus one round trip. Writes target/bench/audit.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.mjs';
import { connectedPage, startBenchServer, twoThousandProducers } from './producers.mjs';

const OUT = process.env.BENCH_OUT;
const RATE = 30;
const LATENCY = 20;
const { server, base, control } = await startBenchServer('audit', RATE, LATENCY);
await twoThousandProducers(control);
const admin = await fetch(`${base}/api/v2/admin/organizations?filter%5Bmodule_producer%5D=true&page%5Bsize%5D=1`, { headers: { authorization: 'Bearer sandbox-admin-token' } });
const producers = (await admin.json()).meta.pagination['total-count'];
const pages = Math.ceil(producers / 100);
const floor = pages / RATE + LATENCY / 1000;

const browser = await launchChromium();
async function audit(release) {
  await control('release', 'POST', { release });
  await control('faults', 'POST', { 'rate-limit': RATE, 'latency-ms': LATENCY });
  await new Promise((r) => setTimeout(r, 1100));
  const { context, page } = await connectedPage(browser, base);
  await new Promise((r) => setTimeout(r, 1100)); // the rate window starts empty
  const started = performance.now();
  await page.getByRole('link', { name: 'Sharing audit' }).click();
  await page.locator('tr.producer-row').first().waitFor({ timeout: 300000 });
  const table = (performance.now() - started) / 1000;
  const rows = Number(await page.locator('.result-info[data-rows]').getAttribute('data-rows'));
  // Then every name (behind the table where it came from the counts).
  await page.locator('td.names[data-reading="true"]').first().waitFor({ state: 'detached', timeout: 300000 }).catch(() => {});
  await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached', timeout: 300000 });
  const names = (performance.now() - started) / 1000;
  const { 'rate-limited': tooMany } = await control('faults');
  await context.close();
  return { release, producers: rows, tableSeconds: +table.toFixed(3), namesSeconds: +names.toFixed(3), floorSeconds: +floor.toFixed(3), ratioToFloor: +(table / floor).toFixed(3), http429: tooMany };
}

const rows = [await audit('current'), await audit('202301')];
await browser.close();
server.process.kill();

console.log(`\nSharing audit (10,000 organizations, ${producers} producers, ${RATE} rps, ${LATENCY} ms)`);
console.log('| release | producers | table on screen s | all names s | floor s | ratio to floor | 429s |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.release} | ${r.producers} | ${r.tableSeconds} | ${r.namesSeconds} | ${r.floorSeconds} | ${r.ratioToFloor} | ${r.http429} |`);
const [ours, before] = rows;
console.log(`\ntarget: the table within 1.10 × the list-all floor — ${ours.ratioToFloor <= 1.1 ? 'met' : 'NOT met'} (${ours.ratioToFloor}; one read per producer: ${before.ratioToFloor})`);
writeFileSync(join(OUT, 'audit.json'), JSON.stringify(rows, null, 2));
