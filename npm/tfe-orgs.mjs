#!/usr/bin/env node
// tfe-orgs: configuration as data for a TFE / HCP Terraform instance from the command line, on
// the package's nodejs build. The address comes from TFE_ADDRESS or --address, the token from
// TFE_TOKEN only (never an argument: command lines are visible to every user of the machine).
// Results go to stdout; progress (a bar on a terminal, nothing otherwise) and errors to stderr.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';

const require = createRequire(import.meta.url);
const tfe = require('./nodejs/tfe_orgs.js');

const COMMON = {
  address: { type: 'string', help: 'the instance (default: $TFE_ADDRESS); the token is read from $TFE_TOKEN' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
};
const COMMANDS = {
  snapshot: {
    usage: 'snapshot [-o FILE]',
    about: 'Take a snapshot of every organization: admin settings, organization settings, module and provider consumers.',
    options: { output: { type: 'string', short: 'o', help: 'write it to FILE (default: stdout)' } },
    max: 0,
  },
  diff: {
    usage: 'diff FILE [FILE2]',
    about: 'Compare FILE with the instance now (or with FILE2): the fields and organizations FILE names. ' +
      'Organizations only the other side has are counted, not drift. Exit 0: no drift, 2: drift, 1: error.',
    options: { json: { type: 'boolean', help: 'the differences as JSON' } },
    min: 1,
    max: 2,
  },
  plan: {
    usage: 'plan FILE',
    about: 'What applying FILE would write, per organization (nothing is written).',
    options: { json: { type: 'boolean', help: 'the plan as JSON' } },
    min: 1,
    max: 1,
  },
  apply: {
    usage: 'apply FILE [--yes]',
    about: 'Make the instance hold FILE: only what differs, sharing never over-shared, nothing created or deleted. ' +
      'First writes the undo (what it changes, as it is now) to a file. On a terminal it asks you to type the number ' +
      'of organizations it changes; elsewhere it needs --yes.',
    options: {
      yes: { type: 'boolean', short: 'y', help: 'apply without asking' },
      undo: { type: 'string', help: 'where to keep the undo (default: tfe-orgs-undo-<time>.json)' },
    },
    min: 1,
    max: 1,
  },
  audit: {
    usage: 'audit [--usage [--unused-out FILE]] [--registry modules|providers] [--csv|--json]',
    about: 'Who shares private modules or providers with whom: one row per producer. With --usage, one row per ' +
      'grant and whether its consumer\'s workspaces use it, as Explorer tells (used, unused, or unknown and why); ' +
      '--unused-out FILE writes a partial snapshot without the unused grants, for `tfe-orgs apply FILE` to review ' +
      'and apply (with its undo).',
    options: {
      usage: { type: 'boolean', help: 'which grants are used (Explorer)' },
      'unused-out': { type: 'string', help: 'with --usage: write the document that revokes every unused grant to FILE' },
      registry: { type: 'string', help: 'modules (default) or providers' },
      csv: { type: 'boolean', help: 'as CSV' },
      json: { type: 'boolean', help: 'as JSON' },
    },
    max: 0,
  },
  list: {
    usage: 'list [--q TEXT] [--csv|--json]',
    about: 'Every organization with its admin settings.',
    options: {
      q: { type: 'string', help: 'search by name or email' },
      csv: { type: 'boolean', help: 'as CSV' },
      json: { type: 'boolean', help: 'as JSON' },
    },
    max: 0,
  },
};

class Usage extends Error {}

function helpOf(name) {
  const command = COMMANDS[name];
  const options = { ...command.options, ...COMMON };
  const lines = Object.entries(options).map(([key, o]) => {
    const flag = (o.short ? `-${o.short}, ` : '    ') + `--${key}` + (o.type === 'string' ? ' VALUE' : '');
    return `  ${flag.padEnd(22)} ${o.help}`;
  });
  return `Usage: tfe-orgs ${command.usage}\n\n${command.about}\n\nOptions:\n${lines.join('\n')}\n`;
}

function mainHelp() {
  const lines = Object.entries(COMMANDS).map(([, c]) => `  ${c.usage.padEnd(52)}`);
  return 'Usage: tfe-orgs COMMAND [options]\n\nCommands:\n' + lines.join('\n') +
    '\n\nThe instance: $TFE_ADDRESS or --address. The token: $TFE_TOKEN (a site-admin token).\n' +
    '`tfe-orgs COMMAND --help` for a command.\n';
}

// Progress on a terminal only: one line redrawn in place.
const tty = process.stderr.isTTY;
function progress(p) {
  if (!tty) return;
  const width = 30;
  const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
  process.stderr.write(`\r${p.stage.padEnd(22)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${p.total}`);
}
function progressDone() {
  if (tty) process.stderr.write('\r\x1b[K');
}

function client(values) {
  const address = values.address ?? process.env.TFE_ADDRESS;
  if (!address) throw new Usage('no instance: set TFE_ADDRESS (or pass --address)');
  const token = process.env.TFE_TOKEN;
  if (!token) throw new Usage('no token: set TFE_TOKEN to a site-admin API token');
  const baseUrl = /^[a-z]+:\/\//i.test(address) ? address : `https://${address}`;
  return new tfe.TfeClient({ baseUrl, token });
}

function readDocument(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  const problems = tfe.checkSnapshot(text);
  if (problems.length) {
    const list = problems.slice(0, 20).map((p) => `  ${p.field}: ${p.message}`).join('\n');
    const more = problems.length > 20 ? `\n  and ${problems.length - 20} more` : '';
    throw new Error(`${file} is not a valid tfe-orgs snapshot:\n${list}${more}`);
  }
  return JSON.parse(text);
}

async function live(values) {
  const doc = await client(values).snapshot({ onProgress: progress });
  progressDone();
  return doc;
}

function show(value) {
  return value === null || value === undefined ? 'null' : JSON.stringify(value);
}

/** What a person calls a field, with its key beside it: `Plan timeout (plan-timeout)`. */
const label = (key) => tfe.attributeLabel(key);

function describeDiff(differences) {
  return differences.map((d) => {
    const where = d.field ? `${d.organization} ${label(d.field)}` : d.organization;
    switch (d.change) {
      case 'changed': return `~ ${where}: ${show(d.from)} -> ${show(d.to)}`;
      case 'added': return `+ ${where}: ${d.to}`;
      case 'removed': return `- ${where}: ${d.from}`;
      default: return `! ${where}: not on the instance`;
    }
  }).join('\n');
}

function describePlan(plan) {
  const lines = [];
  for (const w of plan.writes) {
    const parts = [];
    for (const [part, body] of [['admin', w.admin], ['settings', w.settings]]) {
      for (const [key, value] of Object.entries(body ?? {})) parts.push(`${label(`${part}/${key}`)} = ${show(value)}`);
    }
    for (const [registry, intent] of [['modules', w.modules], ['providers', w.providers]]) {
      if (!intent) continue;
      if (intent.consumers) parts.push(`${registry}: share with ${intent.consumers.length ? intent.consumers.join(', ') : 'nobody'}`);
      if (intent.global !== undefined) parts.push(`${registry}: global sharing ${intent.global ? 'on' : 'off'}`);
    }
    lines.push(`${w.organization}\n${parts.map((p) => `    ${p}`).join('\n')}`);
  }
  for (const name of plan.missing) lines.push(`${name}: not on the instance (not created)`);
  const count = plan.writes.length;
  lines.push(count ? `${count} organization${count === 1 ? '' : 's'} to change.` : 'Nothing to change: the instance already holds it.');
  return lines.join('\n');
}

function csv(rows) {
  const cell = (v) => {
    const text = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\n');
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows.map((r) => r.map((v, i) => String(v ?? '').padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function output(values, header, rows, objects) {
  if (values.json) return JSON.stringify(objects, null, 2);
  if (values.csv) return csv([header, ...rows]);
  return rows.length ? table([header, ...rows]) : '(none)';
}

async function ask(question) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

const RUN = {
  async snapshot(values) {
    const text = JSON.stringify(await live(values), null, 2) + '\n';
    if (values.output) {
      writeFileSync(values.output, text);
      process.stderr.write(`wrote ${values.output}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
  async diff(values, [file, file2]) {
    const a = readDocument(file);
    const b = file2 ? readDocument(file2) : await live(values);
    const differences = tfe.diff(a, b);
    // Organizations only the second side has are not drift: a document manages what it names.
    const drift = differences.filter((d) => d.change !== 'extra');
    const extra = differences.length - drift.length;
    if (values.json) {
      process.stdout.write(JSON.stringify(differences, null, 2) + '\n');
    } else {
      const lines = drift.length ? [describeDiff(drift)] : ['No drift.'];
      if (extra) lines.push(`${extra} organization${extra === 1 ? '' : 's'} only ${file2 ? `in ${file2}` : 'on the instance'}, not in ${file} (left alone).`);
      process.stdout.write(lines.join('\n') + '\n');
    }
    return drift.length ? 2 : 0;
  },
  async plan(values, [file]) {
    const plan = tfe.plan(readDocument(file), await live(values));
    process.stdout.write((values.json ? JSON.stringify(plan, null, 2) : describePlan(plan)) + '\n');
    return 0;
  },
  async apply(values, [file]) {
    const desired = readDocument(file);
    if (!values.yes && !process.stdin.isTTY) {
      throw new Usage('refusing to apply without a terminal to confirm on: pass --yes');
    }
    const c = client(values);
    const now = await c.snapshot({ onProgress: progress });
    progressDone();
    const plan = tfe.plan(desired, now);
    process.stdout.write(describePlan(plan) + '\n');
    const count = plan.writes.length;
    if (!count) return 0;
    const undoFile = values.undo ?? `tfe-orgs-undo-${new Date().toISOString().replaceAll(':', '-')}.json`;
    writeFileSync(undoFile, JSON.stringify(tfe.undoOf(plan, now), null, 2) + '\n');
    process.stderr.write(`kept the undo in ${undoFile} (to put these organizations back: tfe-orgs apply ${undoFile})\n`);
    if (!values.yes) {
      const typed = await ask(`Type ${count} to change ${count} organization${count === 1 ? '' : 's'}: `);
      if (typed !== String(count)) {
        process.stderr.write('not applied\n');
        return 1;
      }
    }
    const controller = new AbortController();
    const stop = () => {
      process.stderr.write('\nstopping after the organizations in flight…\n');
      controller.abort();
    };
    process.once('SIGINT', stop);
    const result = await c.apply(plan, { onProgress: progress, signal: controller.signal });
    process.off('SIGINT', stop);
    progressDone();
    for (const item of result.items) {
      if (item.outcome === 'failed') process.stdout.write(`failed ${item.organization}: ${item.error.message}\n`);
      if (item.outcome === 'not-sent') process.stdout.write(`not sent ${item.organization}\n`);
    }
    process.stdout.write(`${result.done} applied, ${result.failed} failed, ${result.notSent} not sent.\n`);
    return result.failed || result.notSent ? 1 : 0;
  },
  async audit(values) {
    const registry = values.registry ?? 'modules';
    if (registry !== 'modules' && registry !== 'providers') {
      throw new Usage(`--registry must be modules or providers, not ${JSON.stringify(registry)}`);
    }
    if (values['unused-out'] && !values.usage) throw new Usage('--unused-out needs --usage');
    if (values.usage) return usageAudit(values, registry);
    const doc = await live(values);
    const flag = registry === 'modules' ? 'global-module-sharing' : 'global-provider-sharing';
    const key = registry === 'modules' ? 'module-consumers' : 'provider-consumers';
    const objects = [];
    for (const [name, org] of Object.entries(doc.organizations)) {
      const global = org.admin?.[flag] === true;
      const consumers = org[key] ?? [];
      if (global || consumers.length) objects.push({ producer: name, global, consumers });
    }
    const rows = objects.map((o) => [o.producer, o.global ? 'everyone' : 'listed', o.consumers.length, o.consumers.join(' ')]);
    process.stdout.write(output(values, ['producer', 'shares with', 'consumers', 'names'], rows, objects) + '\n');
    return 0;
  },
  async list(values) {
    const orgs = await client(values).adminListAllOrganizations({ pageSize: 100, q: values.q });
    const rows = orgs.map((o) => [o.name, o.email ?? o.notificationEmail ?? '', o.isDisabled ? 'disabled' : 'enabled', o.globalModuleSharing ? 'yes' : 'no']);
    process.stdout.write(output(values, ['name', 'email', 'state', 'global module sharing'], rows, orgs) + '\n');
    return 0;
  },
};

/** `audit --usage`: one row per grant, with whether it is used; `--unused-out` the revoking document. */
async function usageAudit(values, registry) {
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('\nstopping: what is not read yet is unknown…\n');
    controller.abort();
  };
  process.once('SIGINT', stop);
  const c = client(values);
  const grants = await c.grantUsage({
    registry,
    signal: controller.signal,
    onProgress: (done, total) => progress({ stage: 'reading Explorer', done, total }),
  });
  process.off('SIGINT', stop);
  progressDone();
  const words = (g) => g.usage === 'used' ? 'used' : g.usage === 'unused' ? 'unused' : 'unknown';
  const what = (g) => g.usage === 'used'
    ? g.items.map((i) => `${i.name}${i.provider ? `/${i.provider}` : ''}@${i.version ?? '?'}`).join(' ')
    : g.usage === 'unknown' ? g.reason : '';
  const rows = grants.map((g) => [g.producer, g.consumer, g.global ? 'everyone' : 'listed', words(g), g.workspaceCount, what(g)]);
  const header = ['producer', 'consumer', 'shares with', 'usage', 'workspaces', 'what (or why unknown)'];
  process.stdout.write(output(values, header, rows, grants) + '\n');
  const count = (u) => grants.filter((g) => g.usage === u).length;
  process.stderr.write(`${grants.length} grants: ${count('used')} used, ${count('unused')} unused, ${count('unknown')} unknown ` +
    '(Explorer is eventually consistent: unused means no workspace uses it now, as far as Explorer knows).\n');
  const file = values['unused-out'];
  if (file) {
    // Each affected producer's list as the instance holds it now, minus its unused grants.
    const doc = await c.revokeNow(grants.filter((g) => g.usage === 'unused' && !g.global));
    const producers = Object.keys(doc.organizations).length;
    writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
    process.stderr.write(`wrote ${file}: ${count('unused')} unused grants of ${producers} producers left out; ` +
      `review and apply it with: tfe-orgs apply ${file}\n`);
  }
  return 0;
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) throw new Usage(`unknown command ${JSON.stringify(name)} (one of ${Object.keys(COMMANDS).join(', ')})`);
  const spec = Object.fromEntries(Object.entries({ ...command.options, ...COMMON })
    .map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: spec, allowPositionals: true, strict: true });
  } catch (e) {
    throw new Usage(e.message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(helpOf(name));
    return 0;
  }
  if (values.csv && values.json) throw new Usage('--csv and --json: pick one');
  if (positionals.length < (command.min ?? 0) || positionals.length > command.max) {
    throw new Usage(`usage: tfe-orgs ${command.usage}`);
  }
  return RUN[name](values, positionals);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    progressDone();
    const message = e instanceof Usage ? e.message : e?.name === 'TfeError' ? describeTfeError(e) : e?.message ?? String(e);
    process.stderr.write(`tfe-orgs: ${message}\n`);
    process.exitCode = 1;
  },
);

function describeTfeError(e) {
  if (e.kind === 'unauthorized') return 'the instance refused the token in TFE_TOKEN (401): is it a site-admin token?';
  if (e.kind === 'network') return `cannot reach the instance: ${e.message}`;
  return e.message;
}
