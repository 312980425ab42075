// The web build of the installed package in headless Chromium: imported as an ES module by a
// plain HTML page and by a module Web Worker, both calling the sandbox through the
// tfe-orgs-server that serves them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startServer } from '../support/browser.mjs';

const SCRATCH = process.env.SCRATCH;
const BIN = process.env.SERVER_BIN;
let sandbox, base, browser;

const call = `
  const tfe = new TfeClient({ baseUrl: location.origin, token: 'sandbox-admin-token' });
  const org = await tfe.adminGetOrganization('hashicorp', { include: 'owners' });
  let kind = null;
  try { await tfe.getOrganization('a/b'); } catch (e) { kind = (e instanceof TfeError && e instanceof Error ? e.name : 'not a TfeError') + ':' + e.kind; }
  const result = { externalId: org.externalId, owner: org.owners[0].username, kind };`;

before(async () => {
  const site = join(SCRATCH, 'browser-site');
  mkdirSync(site, { recursive: true });
  cpSync(join(SCRATCH, 'node_modules/tfe-orgs/web'), join(site, 'tfe-orgs'), { recursive: true });
  // The server sends a CSP without 'unsafe-inline': scripts are files.
  writeFileSync(join(site, 'index.html'), `<!doctype html><title>esm</title>
<script type="module" src="./main.js"></script>`);
  writeFileSync(join(site, 'main.js'), `import init, { TfeClient, TfeError } from './tfe-orgs/tfe_orgs.js';
await init();
${call}
window.esmResult = result;
const worker = new Worker('./worker.js', { type: 'module' });
worker.onmessage = (e) => { window.workerResult = e.data; };
worker.onerror = (e) => { window.workerResult = { error: e.message }; };`);
  writeFileSync(join(site, 'worker.js'), `import init, { TfeClient, TfeError } from './tfe-orgs/tfe_orgs.js';
await init();
${call}
self.postMessage(result);`);
  ({ process: sandbox, base } = await startServer(BIN, ['--sandbox', '--page', site]));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sandbox?.kill();
});

test('ES module page and module worker both call the sandbox', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(base + '/index.html');
  const expected = { externalId: 'org-Hysjx5eUviuKVCJY', owner: 'alice', kind: 'TfeError:validation' };
  assert.deepEqual(await (await page.waitForFunction(() => window.esmResult)).jsonValue(), expected);
  assert.deepEqual(await (await page.waitForFunction(() => window.workerResult)).jsonValue(), expected);
  assert.deepEqual(problems, []);
});
