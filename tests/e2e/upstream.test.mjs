// Through tfe-orgs-server --upstream, when the upstream fails: the page shows the server's
// JSON:API error as it is (here "connection refused"), and nothing is sent anywhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ADMIN, MODE, assertNoCrossOrigin } from './support.mjs';
import { launchChromium, startServer } from '../support/browser.mjs';

test('an unreachable upstream is shown as the server explains it', { skip: MODE !== 'upstream' && 'runs with --upstream' }, async () => {
  // A loopback port nothing listens on.
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
  const server = await startServer(process.env.SERVER_BIN, ['--upstream', `http://127.0.0.1:${port}`, '--page', process.env.PAGE_DIST, '--base-path', process.env.E2E_BASE ?? '/']);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const base = server.base + (process.env.E2E_BASE ?? '/');
    await page.goto(base);
    await page.locator('#instance-url-hint', { hasText: `forwards to http://127.0.0.1:${port}` }).waitFor();
    await page.locator('#token').fill(ADMIN);
    await page.getByRole('button', { name: 'Connect' }).click();
    const banner = page.locator('.banner.error', { hasText: 'could not be reached (502)' });
    await banner.waitFor({ timeout: 30000 });
    assert.match(await banner.textContent(), /connection refused/);
    assertNoCrossOrigin(requests, server.base);
  } finally {
    await browser.close();
    server.process.kill();
  }
});
