// Shared by the page and package browser tests: a tfe-sandbox or a tfe-orgs-server on a free
// loopback port, and the system Chromium, headless, with the flags this closed network needs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

/** Starts `bin` with `args`; resolves to { process, base } once its first line names its URL. */
async function startListening(bin, args) {
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' };
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  // The interface keeps reading after the first line, so the pipe never fills.
  const first = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { process: child, base: first.match(/https?:\/\/127\.0\.0\.1:\d+/)[0] };
}

/** The emulator alone (`tfe-sandbox --port 0 …args`). */
export function startSandbox(bin, args) {
  return startListening(bin, ['--port', '0', ...args]);
}

/** `tfe-orgs-server --listen 127.0.0.1:0 …args` (the page and /api/v2 on one origin). */
export function startServer(bin, args) {
  return startListening(bin, ['--listen', '127.0.0.1:0', ...args]);
}

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A fresh context and page whose network is emulated at 10 Mbit/s and 40 ms RTT (the benches'
 * slow link); `bytes()` tells what has been transferred so far.
 */
export async function slowLinkPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
  let transferred = 0;
  cdp.on('Network.loadingFinished', (e) => { transferred += e.encodedDataLength; });
  return { context, page, bytes: () => transferred };
}
