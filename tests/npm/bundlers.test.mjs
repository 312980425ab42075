// The package as bundler users consume it: a small app built with Vite and one with webpack 5
// (both pinned in package-lock.json), each importing "tfe-orgs" by its bare name, served by
// tfe-orgs-server --sandbox (so the sandbox answers on the page's own origin, under the CSP)
// and run in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';
import { launchChromium, startServer } from '../support/browser.mjs';

const SCRATCH = process.env.SCRATCH;
let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

// The same app for both: bare import, a read, a typed error, all through the page's origin.
const MAIN = `import { TfeClient, TfeError } from 'tfe-orgs';
const tfe = new TfeClient({ baseUrl: location.origin, token: 'sandbox-admin-token' });
(async () => {
  try {
    const org = await tfe.adminGetOrganization('hashicorp', { include: 'owners' });
    let kind = null;
    try { await tfe.getOrganization('a/b'); } catch (e) { kind = (e instanceof TfeError && e instanceof Error ? e.name : 'not a TfeError') + ':' + e.kind; }
    window.result = { externalId: org.externalId, owner: org.owners[0].username, kind };
  } catch (e) {
    window.result = { error: String(e && e.stack || e) };
  }
})();
`;
const EXPECTED = { externalId: 'org-Hysjx5eUviuKVCJY', owner: 'alice', kind: 'TfeError:validation' };

function app(name) {
  const dir = join(SCRATCH, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), MAIN);
  return dir;
}

/** Serve `dist` with the sandbox in-process and run its page; the result the app reports. */
async function run(dist) {
  writeFileSync(join(dist, 'favicon.ico'), ''); // the browser asks for one; a 404 would be a console error
  const server = await startServer(process.env.SERVER_BIN, ['--sandbox', '--page', dist]);
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(server.base + '/');
    const result = await (await page.waitForFunction(() => window.result, null, { timeout: 30000 })).jsonValue();
    await page.close();
    return { result, problems };
  } finally {
    server.process.kill();
  }
}

test('a Vite build imports the package by name and calls the sandbox', async () => {
  const dir = app('app-vite');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>vite</title><script type="module" src="/main.js"></script></head><body></body></html>');
  await viteBuild({ root: dir, logLevel: 'warn', configFile: false, build: { outDir: join(dir, 'dist'), target: 'es2022' } });
  const { result, problems } = await run(join(dir, 'dist'));
  assert.deepEqual(result, EXPECTED);
  assert.deepEqual(problems, []);
});

test('a webpack 5 build imports the package by name and calls the sandbox', async () => {
  const dir = app('app-webpack');
  const dist = join(dir, 'dist');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production',
    context: dir,
    entry: './main.js',
    target: ['web', 'es2020'],
    output: { path: dist, filename: 'main-[contenthash].js', publicPath: '/', clean: true },
    experiments: { asyncWebAssembly: true },
    performance: { hints: false },
  }, (err, s) => (err ? reject(err) : resolve(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  const bundle = Object.keys(stats.compilation.assets).find((f) => /^main-.*\.js$/.test(f));
  writeFileSync(join(dist, 'index.html'), `<!doctype html><html><head><title>webpack</title><script src="/${bundle}"></script></head><body></body></html>`);
  const { result, problems } = await run(dist);
  assert.deepEqual(result, EXPECTED);
  assert.deepEqual(problems, []);
});
