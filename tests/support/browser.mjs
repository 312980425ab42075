// Shared by the page and package browser tests: a tfe-sandbox on a free loopback port and the
// system Chromium, headless, with the flags this closed network needs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

/** Starts `bin` with `--port 0` and `args`; resolves to { process, base } once it listens. */
export async function startSandbox(bin, args) {
  const process = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve) => createInterface({ input: process.stdout }).once('line', resolve));
  return { process, base: first.match(/http:\/\/127\.0\.0\.1:\d+/)[0] };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
