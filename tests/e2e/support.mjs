// Helpers of the page's end-to-end tests: tfe-orgs-server serving the trunk-built page (with the
// sandbox in-process, or forwarding to a sandbox on another port: E2E_MODE), under the base path
// E2E_BASE; pages that record what they send and log, the sandbox's API for checking state after
// a write, screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium, startSandbox, startServer } from '../support/browser.mjs';

export const ADMIN = 'sandbox-admin-token';
export const OWNER = 'sandbox-owner-token';
export const SHOTS = fileURLToPath(new URL('../../target/e2e/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

/** `--upstream` or `--sandbox`, and where the page lives. */
export const MODE = process.env.E2E_MODE ?? 'sandbox';
export const BASE_PATH = process.env.E2E_BASE ?? '/';
/** The release the sandbox answers as (current-tfe.md's eras): `current` or `202103`. */
export const RELEASE = process.env.E2E_RELEASE ?? 'current';
/** Provider sharing and registry-partnerships (202301-1 on). */
export const PROVIDERS = RELEASE === 'current' || RELEASE >= '202301';
/** The admin timeouts' names in this release's answers and writes. */
export const TIMEOUT = RELEASE === 'current'
  ? { plan: 'plan-timeout', apply: 'apply-timeout' }
  : { plan: 'terraform-build-worker-plan-timeout', apply: 'terraform-build-worker-apply-timeout' };
/** Whether a request is this release's write of a producer's module consumers. */
export function isModuleWrite(request, producer) {
  const url = typeof request.url === 'function' ? request.url() : request.url;
  const method = typeof request.method === 'function' ? request.method() : request.method;
  return PROVIDERS
    ? method === 'PUT' && url.endsWith(`/admin/organizations/${producer}/registry-partnerships`)
    : method === 'PATCH' && url.endsWith(`/admin/organizations/${producer}/relationships/module-consumers`);
}
/** The module consumers a write sent, whichever call this release takes. */
export function writtenModules(body) {
  const data = JSON.parse(body).data;
  return PROVIDERS ? data.attributes.module_consumers : data.map((d) => d.id);
}

/** `extra`: sandbox flags, for the in-process sandbox or the upstream one. */
export async function startPageSandbox(extra = []) {
  const { SERVER_BIN, SANDBOX_BIN, PAGE_DIST } = process.env;
  extra = [...(RELEASE === 'current' ? [] : ['--release', RELEASE]), ...extra];
  assert.ok(SERVER_BIN && SANDBOX_BIN && PAGE_DIST, 'SERVER_BIN, SANDBOX_BIN and PAGE_DIST are set by cargo xtask test');
  const args = ['--page', PAGE_DIST, '--base-path', BASE_PATH];
  let upstream = null;
  if (MODE === 'upstream') {
    upstream = await startSandbox(SANDBOX_BIN, extra);
    args.push('--upstream', upstream.base);
  } else {
    args.push('--sandbox', ...extra);
  }
  const server = await startServer(SERVER_BIN, args);
  const browser = await launchChromium();
  /** The server's origin: /api/v2 and /_tfe-orgs/info live here. */
  const origin = server.base;
  /** Where the page lives: `base + '/orgs'` is a page URL. */
  const base = origin + BASE_PATH.replace(/\/$/, '');
  /** The sandbox's own origin, for its /_sandbox controls. */
  const sandboxOrigin = upstream ? upstream.base : origin;

  /** The sandbox's API as `token` sees it (through the server): `{ status, body }`. */
  async function api(method, path, { token = ADMIN, body } = {}) {
    const res = await fetch(`${origin}/api/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.api+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function control(method, path, body) {
    const res = await fetch(`${sandboxOrigin}/_sandbox/${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `/_sandbox/${path}: ${res.status}`);
    return res.status === 204 ? null : res.json();
  }
  const reset = () => control('POST', 'reset');
  /** The sandbox's whole state (organizations, sharing, Explorer usage), to check against. */
  const state = () => control('GET', 'state');
  const faults = (f) => control('POST', 'faults', { 'latency-ms': 0, 'rate-limit': null, 'error-rate': 0, 'malformed-rate': 0, seed: 1, ...f });
  /** Answer as another release from now on (`release()`: the suite's own again). */
  const release = (r = RELEASE) => control('POST', 'release', { release: r });

  /** A fresh browser context and page that records requests, console output and errors. */
  async function open({ width = 1440, height = 900 } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    const page = await context.newPage();
    const log = { console: [], errors: [], requests: [], failed: [], dialogs: [] };
    page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => log.errors.push(e.message));
    page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss(); });
    page.on('request', (r) => log.requests.push({ method: r.method(), url: r.url(), body: r.postData(), auth: r.headers().authorization }));
    page.on('requestfailed', (r) => log.failed.push({ url: r.url(), error: r.failure()?.errorText }));
    return { context, page, log };
  }

  /** API requests the page sent (optionally only `method`). */
  const apiRequests = (log, method) =>
    log.requests.filter((r) => r.url.includes('/api/v2/') && (!method || r.method === method));

  /**
   * No page errors and no console errors, except the network lines Chromium itself prints for
   * responses the page expects (`allow`: e.g. the 404 that tells a non-admin token apart).
   */
  function assertClean(log, allow = []) {
    // An older release answers 404 to the reads that find out what it has (provider sharing).
    if (!PROVIDERS) allow = [...allow, 404];
    assert.deepEqual(log.errors, [], 'page errors');
    const errors = log.console.filter((m) => m.type === 'error')
      .filter((m) => !allow.some((status) => m.text.includes(`status of ${status}`)));
    assert.deepEqual(errors, [], 'console errors');
    assert.deepEqual(log.dialogs, [], 'no dialog may open');
  }

  async function connect(page, token = ADMIN) {
    await page.goto(base + '/');
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('heading', { name: 'Organizations', exact: true }).waitFor();
    await page.locator('table.orgs tr.row').first().waitFor();
  }

  /** Full-page screenshots at 1440 and 375 px; asserts nothing overflows sideways at either. */
  async function shoot(page, name) {
    const before = page.viewportSize();
    for (const width of [1440, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(50);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
      await page.screenshot({ path: `${SHOTS}${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize(before);
  }

  async function stop() {
    await browser.close();
    server.process.kill();
    upstream?.process.kill();
  }

  return { base, origin, sandboxOrigin, browser, api, control, reset, state, faults, release, open, apiRequests, assertClean, connect, shoot, stop };
}

/** The page called nothing but its own origin (TFE sends no CORS headers: it could not). */
export function assertNoCrossOrigin(urls, origin) {
  const foreign = urls.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'requests to another origin');
}

/** Every control on the page has an accessible name (label, aria-label, aria-labelledby or text). */
export async function unnamedControls(page) {
  return page.evaluate(() => {
    const named = (el) =>
      (el.labels && el.labels.length > 0 && [...el.labels].some((l) => l.textContent.trim())) ||
      el.getAttribute('aria-label')?.trim() ||
      (el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'))?.textContent.trim()) ||
      (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) && el.textContent.trim()) ||
      el.getAttribute('title')?.trim();
    return [...document.querySelectorAll('input, select, textarea, button, a[href], summary, [role="link"], [tabindex="0"]')]
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}
