// The trunk-built page, served by tfe-sandbox, loads in headless Chromium, runs its wasm and
// validates as you type, with no console errors. Started and stopped here; loopback only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const BIN = process.env.SANDBOX_BIN;
const DIST = process.env.PAGE_DIST;
let sandbox, base, browser;

before(async () => {
  assert.ok(BIN && DIST, 'SANDBOX_BIN and PAGE_DIST are set by cargo xtask test');
  sandbox = spawn(BIN, ['--port', '0', '--static', DIST], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve) => createInterface({ input: sandbox.stdout }).once('line', resolve));
  base = first.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
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
