// The page split by screen against the same page unsplit (both release builds of this run,
// precompressed, served by tfe-orgs-server with the sandbox in-process), under an emulated
// 10 Mbit/s, 40 ms RTT network, medians of 5 fresh browser contexts:
//  - cold load of /orgs to interactive: navigation start to the first organization row, the
//    token typed and Connect clicked as soon as the form shows;
//  - click to interactive of a lazy screen (the sharing audit: its table drawn), cold (clicked at
//    once, its code not fetched yet) and prefetched (clicked after the background prefetch).
// Writes target/bench/split.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, slowLinkPage, startServer } from '../support/browser.mjs';

const OUT = process.env.BENCH_OUT;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const servers = {
  split: await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', process.env.PAGE_DIST]),
  unsplit: await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', process.env.PAGE_DIST_UNSPLIT]),
};
const browser = await launchChromium();

async function visit(base, { prefetched }) {
  const { context, page, bytes } = await slowLinkPage(browser);
  await page.goto(base + '/');
  await page.locator('#token').fill('sandbox-admin-token');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('table.orgs tr.row').first().waitFor({ timeout: 60000 });
  const orgsMs = await page.evaluate(() => performance.now());
  const firstBytes = bytes();
  if (prefetched) await page.waitForTimeout(6000);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('link', { name: 'Sharing audit' }).click();
  await page.locator('table.audit tr.producer-row').first().waitFor({ timeout: 60000 });
  const screenMs = (await page.evaluate(() => performance.now())) - t0;
  await context.close();
  return { orgsMs, firstBytes, screenMs };
}

const runs = { split: { cold: [], prefetched: [] }, unsplit: { cold: [], prefetched: [] } };
for (let i = 0; i < 5; i++) {
  for (const build of ['unsplit', 'split']) {
    for (const mode of ['cold', 'prefetched']) runs[build][mode].push(await visit(servers[build].base, { prefetched: mode === 'prefetched' }));
  }
}
await browser.close();
for (const s of Object.values(servers)) s.process.kill();

const pick = (build, mode, key) => Math.round(median(runs[build][mode].map((r) => r[key])));
const orgs = (build) => Math.round(median([...runs[build].cold, ...runs[build].prefetched].map((r) => r.orgsMs)));
const bytes = (build) => median(runs[build].cold.map((r) => r.firstBytes));
const report = {
  network: '10 Mbit/s, 40 ms RTT',
  orgsColdLoadMs: { unsplit: orgs('unsplit'), split: orgs('split'), ratio: +(orgs('split') / orgs('unsplit')).toFixed(3) },
  firstDownloadBytes: { unsplit: bytes('unsplit'), split: bytes('split') },
  sharingAuditClickMs: {
    unsplit: pick('unsplit', 'cold', 'screenMs'),
    splitCold: pick('split', 'cold', 'screenMs'),
    splitPrefetched: pick('split', 'prefetched', 'screenMs'),
  },
};
writeFileSync(join(OUT, 'split.json'), JSON.stringify(report, null, 2));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('\nthe page split by screen (10 Mbit/s, 40 ms RTT, medians of 5)');
console.log('| measure | unsplit (baseline) | split | ratio |');
console.log('|---|---|---|---|');
console.log(`| /orgs cold load to the first row (ms) | ${report.orgsColdLoadMs.unsplit} | ${report.orgsColdLoadMs.split} | ${report.orgsColdLoadMs.ratio}× |`);
console.log(`| bytes transferred until then | ${kb(report.firstDownloadBytes.unsplit)} | ${kb(report.firstDownloadBytes.split)} | ${(report.firstDownloadBytes.split / report.firstDownloadBytes.unsplit).toFixed(3)}× |`);
console.log(`| click "Sharing audit" to its table, code not fetched yet (ms) | ${report.sharingAuditClickMs.unsplit} | ${report.sharingAuditClickMs.splitCold} | ${(report.sharingAuditClickMs.splitCold / report.sharingAuditClickMs.unsplit).toFixed(3)}× |`);
console.log(`| the same click after the background prefetch (ms) | ${report.sharingAuditClickMs.unsplit} | ${report.sharingAuditClickMs.splitPrefetched} | ${(report.sharingAuditClickMs.splitPrefetched / report.sharingAuditClickMs.unsplit).toFixed(3)}× |`);
