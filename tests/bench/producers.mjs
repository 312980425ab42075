// What the audit, configuration and usage benches share: a server with 10,000 organizations, the
// sandbox's controls, and 2,000 of those organizations sharing their modules with a specific consumer.

import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../support/browser.mjs';

/** `tfe-orgs-server --sandbox` with 10,000 organizations at `rate` requests/second and `latency`
 * ms, serving a copy of the page (`OUT/<name>-site`): `{ server, base, control }`. */
export async function startBenchServer(name, rate, latency) {
  const out = process.env.BENCH_OUT;
  mkdirSync(out, { recursive: true });
  const site = join(out, `${name}-site`);
  cpSync(process.env.PAGE_DIST, site, { recursive: true });
  const server = await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', site, '--generate', '9970', '--api-rate-limit', String(rate), '--latency-ms', String(latency)]);
  return { server, base: server.base, control: controlOf(server.base) };
}

/** A new browser context and page, connected as the site admin, its organizations listed. */
export async function connectedPage(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.locator('#token').fill('sandbox-admin-token');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('table.orgs tr.row').first().waitFor({ timeout: 60000 });
  return { context, page };
}

/** `control(path, method, body)`: the sandbox's /_sandbox/ API at `base`. */
export function controlOf(base) {
  return async (path, method = 'GET', body) => {
    const r = await fetch(`${base}/_sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    if (!r.ok) throw new Error(`/_sandbox/${path}: ${r.status}`);
    return r.status === 204 ? null : r.json();
  };
}

/** 2,000 producers: every fifth generated organization shares with the one before it. */
export async function twoThousandProducers(control) {
  const state = await control('state');
  for (const org of state.orgs) {
    const m = /^generated-(\d+)$/.exec(org.attributes.name);
    if (!m) continue;
    const i = Number(m[1]);
    org.admin['global-module-sharing'] = false;
    org.consumers = i % 5 === 0 ? [`generated-${String(i - 1).padStart(5, '0')}`] : [];
  }
  await control('state', 'PUT', state);
}
