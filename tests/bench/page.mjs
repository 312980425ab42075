// The admin page in headless Chromium, served by tfe-sandbox from the trunk build:
//  - cold load to interactive (a fresh context each time: nothing cached): navigation start to the
//    connect form rendered by the wasm app, against a plain HTML page with the same form;
//  - 10,000 rows after the data arrives: "Load all" on 10,000 organizations, from the last page
//    decoded to the rows painted (the page's own User Timing measure `tfe-orgs:render-all`),
//    against building a plain 10,000-row table with DOM calls in the same page.
// Medians. Writes target/bench/page.json.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startServer } from '../support/browser.mjs';

const OUT = process.env.BENCH_OUT;
const site = join(OUT, 'page-site');
cpSync(process.env.PAGE_DIST, site, { recursive: true });
writeFileSync(join(site, 'plain.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plain</title></head>
<body><main><h1>Connect to Terraform Enterprise</h1><form><label for="instance-url">Instance URL</label><input id="instance-url" type="url">
<label for="token">API token</label><input id="token" type="password"><button>Connect</button></form></main></body></html>`);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sandbox = await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', site, '--generate', '9970']);
const base = sandbox.base;
const browser = await launchChromium();

async function coldLoad(path, wasm) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const seen = () => {
      if (!window.__interactive && document.getElementById('token')) window.__interactive = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', seen);
  });
  await page.goto(base + path);
  const ms = await (await page.waitForFunction(() => window.__interactive)).jsonValue();
  await context.close();
  return ms;
}

const ours = [], plain = [];
for (let i = 0; i < 7; i++) {
  ours.push(await coldLoad('/', true));
  plain.push(await coldLoad('/plain.html', false));
}

async function renderAll() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript((url) => sessionStorage.setItem('tfe-orgs.connection@sandbox', JSON.stringify({ url, token: 'sandbox-admin-token', instance: 'sandbox' })), `${base}/api/v2`);
  const page = await context.newPage();
  await page.goto(base + '/orgs');
  await page.getByRole('button', { name: 'Load all 10,000' }).click();
  const ms = await (await page.waitForFunction(() => performance.getEntriesByName('tfe-orgs:render-all')[0]?.duration, null, { timeout: 120000 })).jsonValue();
  const rendered = await page.locator('table.orgs tr.row').count();
  const plainMs = await page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    const table = document.createElement('table');
    for (let i = 0; i < 10000; i++) {
      const tr = table.insertRow();
      for (const text of [`org-${i}`, `team-${i}@example.com`, 'active', '', 'owner@example.com']) tr.insertCell().textContent = text;
    }
    document.body.append(table);
    requestAnimationFrame(() => setTimeout(() => { resolve(performance.now() - t0); table.remove(); }, 0));
  }));
  await context.close();
  return { ms, plainMs, rendered };
}

const renders = [];
for (let i = 0; i < 3; i++) renders.push(await renderAll());
await browser.close();
sandbox.process.kill();

const report = {
  coldLoadMs: +median(ours).toFixed(1),
  plainHtmlLoadMs: +median(plain).toFixed(1),
  coldLoadRatio: +(median(ours) / median(plain)).toFixed(2),
  render10kMs: +median(renders.map((r) => r.ms)).toFixed(1),
  plainTable10kMs: +median(renders.map((r) => r.plainMs)).toFixed(1),
  render10kRatio: +(median(renders.map((r) => r.ms)) / median(renders.map((r) => r.plainMs))).toFixed(3),
  rowsInDom: renders[0].rendered,
};
console.log('\nAdmin page in Chromium (loopback; medians)');
console.log('| measure | ours | baseline | ratio | target |');
console.log('|---|---|---|---|---|');
console.log(`| cold load to interactive | ${report.coldLoadMs} ms | ${report.plainHtmlLoadMs} ms (plain HTML form) | ${report.coldLoadRatio} | <= 300 ms ${report.coldLoadMs <= 300 ? 'met' : 'NOT met'} |`);
console.log(`| 10,000 rows after data arrives | ${report.render10kMs} ms (${report.rowsInDom} rows in the DOM) | ${report.plainTable10kMs} ms (plain 10,000-row table) | ${report.render10kRatio} | <= 50 ms ${report.render10kMs <= 50 ? 'met' : 'NOT met'} |`);
writeFileSync(join(OUT, 'page.json'), JSON.stringify(report, null, 2));
