// The trunk-built page, served by tfe-sandbox, loads in headless Chromium, runs its wasm and
// validates as you type, with no console errors. Started and stopped here; loopback only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, startSandbox } from '../support/browser.mjs';

const BIN = process.env.SANDBOX_BIN;
const DIST = process.env.PAGE_DIST;
let sandbox, base, browser;

before(async () => {
  assert.ok(BIN && DIST, 'SANDBOX_BIN and PAGE_DIST are set by cargo xtask test');
  ({ process: sandbox, base } = await startSandbox(BIN, ['--static', DIST]));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sandbox?.kill();
});

test('the page starts and validates organization names as you type', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'tfe-orgs' }).waitFor();
  const name = page.getByLabel('Organization name');
  await name.fill('my org');
  assert.match(await page.locator('output').textContent(), /must not contain whitespace/);
  await name.fill('my-org');
  assert.equal(await page.locator('output').textContent(), 'valid organization name');
  assert.deepEqual(problems, []);
  await page.close();
});
