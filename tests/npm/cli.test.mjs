// The `tfe-orgs` command line as a user runs it: the package's `bin`, installed into the scratch
// project, spawned against a sandbox of its own with more organizations than one page, the
// address and token in TFE_ADDRESS / TFE_TOKEN. Every document it writes is checked against the
// JSON Schema the package ships (Ajv, draft 2020-12).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { startSandbox } from '../support/browser.mjs';

const SCRATCH = process.env.SCRATCH;
const require = createRequire(join(SCRATCH, 'package.json'));
const lib = require('tfe-orgs');
const BIN = join(SCRATCH, 'node_modules/.bin/tfe-orgs');
const TOKEN = 'sandbox-admin-token';
const dir = mkdtempSync(join(tmpdir(), 'tfe-orgs-cli-'));
const schema = JSON.parse(readFileSync(require.resolve('tfe-orgs/snapshot.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
let sandbox;

function conforms(doc) {
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5)));
}

/** Run the CLI; resolves with its exit code, stdout and stderr. */
function cli(args, { env = {}, input } = {}) {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, {
      cwd: dir,
      env: { PATH: process.env.PATH, TFE_ADDRESS: sandbox.base, TFE_TOKEN: TOKEN, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    child.on('close', (code) => {
      assert.ok(!stdout.includes(TOKEN) && !stderr.includes(TOKEN), 'the token is never printed');
      assert.doesNotMatch(stderr, /^\s+at /m, 'no stack traces');
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  sandbox = await startSandbox(process.env.SANDBOX_BIN, ['--generate', '220']);
});
after(() => sandbox?.process.kill());

test('the package has a tfe-orgs bin and every command has --help', async () => {
  assert.ok(existsSync(BIN));
  const main = await cli(['--help']);
  assert.equal(main.code, 0);
  for (const command of ['snapshot', 'diff', 'plan', 'apply', 'audit', 'list']) {
    assert.match(main.stdout, new RegExp(`^  ${command}\\b`, 'm'));
    const help = await cli([command, '--help']);
    assert.equal(help.code, 0, command);
    assert.match(help.stdout, new RegExp(`^Usage: tfe-orgs ${command}`), command);
    assert.match(help.stdout, /--address/);
  }
  assert.doesNotMatch((await cli(['apply', '--help'])).stdout, /--token/, 'there is no token option');
});

test('snapshot, a change behind its back, diff (2), apply, diff (0), undo', async () => {
  const taken = await cli(['snapshot', '-o', 'snap.json']);
  assert.equal(taken.code, 0, taken.stderr);
  assert.equal(taken.stdout, '', 'a file was asked for: nothing on stdout');
  assert.equal(taken.stderr, 'wrote snap.json\n', 'no progress bar off a terminal');
  const snap = JSON.parse(readFileSync(join(dir, 'snap.json'), 'utf8'));
  conforms(snap);
  assert.equal(snap.format, 'tfe-orgs/snapshot@1');
  assert.equal(snap.instance.url, sandbox.base + '/api/v2');
  const admin = new lib.TfeClient({ baseUrl: sandbox.base, token: TOKEN });
  const all = await admin.adminListAllOrganizations({ pageSize: 100 });
  assert.ok(all.length > 200);
  assert.equal(Object.keys(snap.organizations).length, all.length, 'every organization, over several pages');
  assert.deepEqual(snap.organizations['acme-security']['module-consumers'].length > 1, true);

  const clean = await cli(['diff', 'snap.json']);
  assert.deepEqual([clean.code, clean.stdout], [0, 'No drift.\n']);

  // Behind its back: an admin setting, an organization setting and a consumer list.
  const before = snap.organizations['acme-security']['module-consumers'];
  await admin.adminUpdateOrganization('acme-data', { isDisabled: !snap.organizations['acme-data'].admin['is-disabled'] });
  await admin.updateOrganization('acme-data', { email: 'drifted@example.com' });
  await admin.adminSetModuleConsumers('acme-security', [...before.slice(1), 'cyberdyne']);

  const drift = await cli(['diff', 'snap.json']);
  assert.equal(drift.code, 2, drift.stderr);
  const lines = drift.stdout.trim().split('\n').sort();
  assert.deepEqual(lines, [
    `+ acme-security module-consumers: cyberdyne`,
    `- acme-security module-consumers: ${before[0]}`,
    `~ acme-data Disabled (is-disabled): ${snap.organizations['acme-data'].admin['is-disabled']} -> ${!snap.organizations['acme-data'].admin['is-disabled']}`,
    `~ acme-data Notification email (email): ${JSON.stringify(snap.organizations['acme-data'].settings.email)} -> "drifted@example.com"`,
  ].sort());
  const asJson = await cli(['diff', 'snap.json', '--json']);
  assert.equal(asJson.code, 2);
  assert.equal(JSON.parse(asJson.stdout).length, 4);

  const plan = await cli(['plan', 'snap.json']);
  assert.equal(plan.code, 0);
  assert.match(plan.stdout, /2 organizations to change\.$/m);
  assert.match(plan.stdout, new RegExp(`modules: share with ${before.join(', ')}`));
  // People read labels, the key beside each.
  assert.match(plan.stdout, /^    Disabled \(is-disabled\) = (true|false)$/m);

  // Not on a terminal and no --yes: refused, nothing written.
  const refused = await cli(['apply', 'snap.json']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /refusing to apply without a terminal to confirm on: pass --yes/);
  assert.equal((await cli(['diff', 'snap.json'])).code, 2, 'still drifted');

  const applied = await cli(['apply', 'snap.json', '--yes', '--undo', 'undo.json']);
  assert.equal(applied.code, 0, applied.stderr + applied.stdout);
  assert.match(applied.stdout, /^2 applied, 0 failed, 0 not sent\.$/m);
  assert.match(applied.stderr, /kept the undo in undo\.json/);
  const undo = JSON.parse(readFileSync(join(dir, 'undo.json'), 'utf8'));
  conforms(undo);
  assert.deepEqual(Object.keys(undo.organizations).sort(), ['acme-data', 'acme-security'], 'only what the apply touches');
  assert.equal(undo.organizations['acme-data'].settings.email, 'drifted@example.com');

  assert.deepEqual((await cli(['diff', 'snap.json'])).code, 0, 'the instance holds the snapshot again');
  const again = await cli(['plan', 'snap.json']);
  assert.match(again.stdout, /Nothing to change/, 'the same document twice plans nothing');

  // Undo: the apply's undo puts back what it changed, so the drift is back, exactly.
  const undone = await cli(['apply', 'undo.json', '--yes', '--undo', 'undo2.json']);
  assert.equal(undone.code, 0, undone.stderr);
  const redrift = await cli(['diff', 'snap.json']);
  assert.equal(redrift.code, 2);
  assert.deepEqual(redrift.stdout.trim().split('\n').sort(), lines);
  // And the diff of two files needs no instance.
  const files = await cli(['diff', 'snap.json', 'undo.json'], { env: { TFE_ADDRESS: '', TFE_TOKEN: '' } });
  assert.equal(files.code, 2, files.stderr);
  // A partial document is compared on what it names: the rest of the instance is not drift.
  writeFileSync(join(dir, 'partial.json'), JSON.stringify({ format: 'tfe-orgs/snapshot@1', organizations: { cyberdyne: snap.organizations.cyberdyne } }));
  const partial = await cli(['diff', 'partial.json']);
  assert.equal(partial.code, 0, partial.stdout);
  assert.equal(partial.stdout, `No drift.\n${all.length - 1} organizations only on the instance, not in partial.json (left alone).\n`);
  const missing = await cli(['diff', 'undo.json', 'partial.json'], { env: { TFE_ADDRESS: '', TFE_TOKEN: '' } });
  assert.equal(missing.code, 2);
  assert.match(missing.stdout, /^! acme-data: not on the instance$/m);
});

test('on a terminal, apply draws progress and asks for the count of organizations it changes', async () => {
  const admin = new lib.TfeClient({ baseUrl: sandbox.base, token: TOKEN });
  assert.equal((await cli(['snapshot', '-o', 'tty.json'])).code, 0);
  const before = (await admin.adminGetOrganization('cyberdyne')).isDisabled;
  await admin.adminUpdateOrganization('cyberdyne', { isDisabled: !before });
  // `script` (util-linux) runs the command on a pseudo-terminal, typed input on its stdin.
  const onTerminal = (typed, undo) => new Promise((resolve) => {
    const child = spawn('script', ['-qec', `${BIN} apply tty.json --undo ${undo}`, '/dev/null'], {
      cwd: dir, env: { PATH: process.env.PATH, TFE_ADDRESS: sandbox.base, TFE_TOKEN: TOKEN, TERM: 'dumb' },
    });
    let out = '';
    let answered = false;
    // Typed once (a later chunk must not type again into a terminal that may have closed).
    child.stdin.on('error', () => {});
    child.stdout.on('data', (d) => {
      out += d;
      if (!answered && out.includes('Type 1 to change 1 organization: ')) {
        answered = true;
        child.stdin.write(typed + '\r');
      }
    });
    child.on('close', (code) => resolve({ code, out }));
  });
  const wrong = await onTerminal('2', 'tty-undo-1.json');
  assert.equal(wrong.code, 1, wrong.out);
  assert.match(wrong.out, /\[#+ *\] \d+\/\d+/, 'a progress bar on a terminal');
  assert.match(wrong.out, /not applied/);
  assert.equal((await admin.adminGetOrganization('cyberdyne')).isDisabled, !before, 'nothing written');
  const right = await onTerminal('1', 'tty-undo-2.json');
  assert.equal(right.code, 0, right.out);
  assert.match(right.out, /1 applied, 0 failed, 0 not sent\./);
  assert.equal((await admin.adminGetOrganization('cyberdyne')).isDisabled, before);
  assert.ok(!right.out.includes(TOKEN));
});

test('audit and list print what the instance holds, as a table, CSV or JSON', async () => {
  const admin = new lib.TfeClient({ baseUrl: sandbox.base, token: TOKEN });
  const audit = await cli(['audit', '--json']);
  assert.equal(audit.code, 0, audit.stderr);
  const rows = JSON.parse(audit.stdout);
  const producer = rows.find((r) => r.producer === 'acme-security');
  const consumers = await admin.adminListAllModuleConsumers('acme-security');
  assert.deepEqual([...producer.consumers].sort(), consumers.map((c) => c.name).sort());
  const csv = await cli(['audit', '--registry', 'providers', '--csv']);
  assert.equal(csv.code, 0, csv.stderr);
  assert.equal(csv.stdout.split('\n')[0], 'producer,shares with,consumers,names');
  const list = await cli(['list', '--q', 'hashicorp', '--csv']);
  assert.equal(list.code, 0, list.stderr);
  const names = list.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  assert.deepEqual(names.sort(), (await admin.adminListAllOrganizations({ q: 'hashicorp' })).map((o) => o.name).sort());
  const table = await cli(['list']);
  assert.ok(table.stdout.trim().split('\n').length > 200, 'every page');
});

/** From the sandbox's own state: whether `consumer`'s workspaces use a private module of `producer`. */
function usesModuleOf(consumer, producer) {
  return (consumer.usage ?? []).some((u) => u.view === 'modules' && u.registry_type === 'private' &&
    u.source.split('/').slice(-3)[0].toLowerCase() === producer.toLowerCase());
}

test('audit --usage: every grant used, unused or unknown as the instance holds it; --unused-out, apply, undo', async () => {
  const state = await (await fetch(`${sandbox.base}/_sandbox/state`)).json();
  const byName = new Map(state.orgs.map((o) => [o.attributes.name.toLowerCase(), o]));
  const audit = await cli(['audit', '--usage', '--json']);
  assert.equal(audit.code, 0, audit.stderr);
  const grants = JSON.parse(audit.stdout);
  const specific = grants.filter((g) => !g.global);
  const expected = state.orgs.flatMap((p) => (p.consumers ?? []).map((c) => [p.attributes.name, c]));
  assert.equal(specific.length, expected.length);
  let unknown = 0;
  for (const [producer, consumer] of expected) {
    const g = specific.find((x) => x.producer === producer && x.consumer.toLowerCase() === consumer.toLowerCase());
    assert.ok(g, `${producer} → ${consumer}`);
    const c = byName.get(consumer.toLowerCase());
    const want = c.explorer_closed ? 'unknown' : usesModuleOf(c, producer) ? 'used' : 'unused';
    assert.equal(g.usage, want, `${producer} → ${consumer}`);
    if (want === 'used') assert.ok(g.workspaceCount > 0 && g.items.every((i) => i.workspaces.length === i.workspaceCount));
    if (want === 'unknown') { unknown += 1; assert.match(g.reason, /404/); }
  }
  assert.ok(unknown > 0, 'the organization whose Explorer the token may not read is unknown');
  assert.match(audit.stderr, /grants: \d+ used, \d+ unused, \d+ unknown/);
  const csv = await cli(['audit', '--usage', '--csv']);
  assert.equal(csv.stdout.split('\n')[0], 'producer,consumer,shares with,usage,workspaces,what (or why unknown)');

  // The document without the unused grants, reviewed and applied by `apply`, then undone.
  const admin = new lib.TfeClient({ baseUrl: sandbox.base, token: TOKEN });
  const before = await admin.snapshot();
  const out = await cli(['audit', '--usage', '--unused-out', 'revoke.json']);
  assert.equal(out.code, 0, out.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'revoke.json'), 'utf8'));
  conforms(doc);
  const unused = specific.filter((g) => g.usage === 'unused');
  assert.ok(unused.length > 10);
  const applied = await cli(['apply', 'revoke.json', '--yes', '--undo', 'revoke-undo.json']);
  assert.equal(applied.code, 0, applied.stderr);
  const after = await admin.snapshot();
  for (const [name, org] of Object.entries(before.organizations)) {
    const revoked = new Set(unused.filter((g) => g.producer === name).map((g) => g.consumer));
    const want = (org['module-consumers'] ?? []).filter((c) => !revoked.has(c));
    assert.deepEqual(after.organizations[name]['module-consumers'] ?? [], want, name);
    const { 'module-consumers': _a, ...restBefore } = org;
    const { 'module-consumers': _b, ...restAfter } = after.organizations[name];
    assert.deepEqual(restAfter, restBefore, `${name}: nothing else touched`);
  }
  const undone = await cli(['apply', 'revoke-undo.json', '--yes', '--undo', 'redo.json']);
  assert.equal(undone.code, 0, undone.stderr);
  assert.deepEqual((await admin.snapshot()).organizations, before.organizations, 'the undo restores every grant');
});

test('audit --usage while Explorer backfills: no grant is called unused, and --unused-out revokes nothing', async () => {
  const backfilling = await startSandbox(process.env.SANDBOX_BIN, ['--generate', '220', '--explorer', 'backfilling']);
  try {
    const env = { TFE_ADDRESS: backfilling.base };
    const audit = await cli(['audit', '--usage', '--json'], { env });
    assert.equal(audit.code, 0, audit.stderr);
    const specific = JSON.parse(audit.stdout).filter((g) => !g.global);
    assert.ok(specific.length > 20, `${specific.length} grants`);
    assert.equal(specific.filter((g) => g.usage === 'unused').length, 0);
    const waiting = specific.filter((g) => g.usage === 'unknown' && /not yet taken in every existing workspace/.test(g.reason));
    assert.ok(waiting.length > 5, 'the grants with no use seen say why they are unknown');
    assert.ok(specific.some((g) => g.usage === 'used'), 'used grants are still used');
    const out = await cli(['audit', '--usage', '--unused-out', 'none.json'], { env });
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'none.json'), 'utf8')).organizations, {});
  } finally {
    backfilling.process.kill();
  }
});

test('errors are one plain line on stderr, exit 1', async () => {
  const cases = [
    [['snapshot'], { TFE_TOKEN: '' }, /^tfe-orgs: no token: set TFE_TOKEN to a site-admin API token\n$/],
    [['snapshot'], { TFE_ADDRESS: '' }, /^tfe-orgs: no instance: set TFE_ADDRESS \(or pass --address\)\n$/],
    [['snapshot'], { TFE_TOKEN: 'wrong-token' }, /^tfe-orgs: the instance refused the token in TFE_TOKEN \(401\)/],
    [['snapshot', '--token', 'x'], {}, /^tfe-orgs: Unknown option '--token'/],
    [['audit', '--registry', 'nope'], {}, /^tfe-orgs: --registry must be modules or providers, not "nope"\n$/],
    [['audit', '--unused-out', 'x.json'], {}, /^tfe-orgs: --unused-out needs --usage\n$/],
    [['diff'], {}, /^tfe-orgs: usage: tfe-orgs diff FILE \[FILE2\]\n$/],
    [['diff', 'nowhere.json'], {}, /^tfe-orgs: cannot read nowhere\.json: no such file\n$/],
    [['frobnicate'], {}, /^tfe-orgs: unknown command "frobnicate"/],
    [['diff', 'bad.json'], {}, /^tfe-orgs: bad\.json is not a valid tfe-orgs snapshot:\n  \/organizations\/acme\/admin\/plan-timeout: /],
  ];
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'tfe-orgs/snapshot@1', organizations: { acme: { admin: { 'plan-timeout': 'soon' } } } }));
  for (const [args, env, expected] of cases) {
    const r = await cli(args, { env });
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, expected, args.join(' '));
    assert.equal(r.stdout, '');
  }
  // With --address the environment's address is not needed.
  const r = await cli(['list', '--q', 'acme', '--json', '--address', sandbox.base], { env: { TFE_ADDRESS: '' } });
  assert.equal(r.code, 0, r.stderr);
});
