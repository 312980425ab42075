// Merges the bench parts (list-all, bulk, decode, page, proxy, split, audit, configuration, usage, size) into target/bench/report.json and draws
// every ratio against its target in target/bench/report.svg.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = process.env.BENCH_OUT;
const part = (name) => JSON.parse(readFileSync(join(OUT, `${name}.json`), 'utf8'));
const report = { date: new Date().toISOString(), listAll: part('list-all'), bulk: part('bulk'), decode: part('decode'), page: part('page'), proxy: part('proxy'), split: part('split'), audit: part('audit'), configuration: part('configuration'), usage: part('usage'), size: part('size') };
writeFileSync(join(OUT, 'report.json'), JSON.stringify(report, null, 2));

const bars = [
  ...report.listAll.map((r) => [`list-all ${r.rate} rps ${r.latency} ms: ${r.name.split(' (')[0]} / floor`, r.ratioToFloor, r.name.startsWith('tfe-orgs') ? 1.1 : null]),
  ['audit table, 2,000 producers: ours / floor', report.audit[0].ratioToFloor, 1.1],
  ['audit table: one read per producer / floor', report.audit[1].ratioToFloor, null],
  ['grant usage, 5,000 grants: library / floor', report.usage[0].ratioToFloor, 1.1],
  ['grant usage, 5,000 grants: page / floor', report.usage[1].ratioToFloor, 1.1],
  ['snapshot, 10,000 orgs / 2,000 producers / floor', report.configuration.rows[0].ratioToFloor, 1.1],
  ['apply of 1,000 mixed changes / floor', report.configuration.rows[1].ratioToFloor, 1.1],
  ['diff of two 10,000-org snapshots / 100 ms', report.configuration.diffMs / 100, 1.0],
  ['bulk 1,000 at 100 ms: ours / floor', report.bulk[0].ratioToFloor, 1.1],
  ['bulk: a loop of single updates / floor', report.bulk[1].ratioToFloor, null],
  ['decode: Rust structs / JSON.parse', report.decode.rustStructsRatio, 1.0],
  ['decode: JS objects / JSON.parse', report.decode.jsObjectsRatio, 1.5],
  ['page: cold load / 300 ms', report.page.coldLoadMs / 300, 1.0],
  ['page: 10k rows / 50 ms', report.page.render10kMs / 50, 1.0],
  ['proxy: list-all via proxy / direct', report.proxy.listAll.ratio, 1.05],
  ['proxy: cold load (10 Mbit/s, 40 ms) / 1 s', report.proxy.coldLoad.precompressed.ms / 1000, 1.0],
  ['size: package gzip / 60 KB', report.size.package.gzip / (60 * 1024), 1.0],
  ['split: /orgs cold load / unsplit', report.split.orgsColdLoadMs.ratio, 1.0],
  ['split: lazy screen click, cold / unsplit', report.split.sharingAuditClickMs.splitCold / report.split.sharingAuditClickMs.unsplit, null],
  ['split: lazy screen click, prefetched / unsplit', report.split.sharingAuditClickMs.splitPrefetched / report.split.sharingAuditClickMs.unsplit, null],
  ['size: page first download gzip / 400 KB', report.size.page.gzip / (400 * 1024), 1.0],
];
const max = Math.max(2, ...bars.map((b) => b[1]));
const x = (v) => 300 + (v / max) * 440;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const rows = bars.map(([name, v, target], i) => {
  const y = 20 + i * 34;
  const ok = target === null || v <= target;
  return `<text x="290" y="${y + 15}" text-anchor="end" font-size="12">${esc(name)}</text>`
    + `<rect x="300" y="${y}" width="${x(v) - 300}" height="20" fill="${ok ? '#2da44e' : '#cf222e'}"/>`
    + (target === null ? '' : `<line x1="${x(target)}" x2="${x(target)}" y1="${y - 3}" y2="${y + 23}" stroke="#000" stroke-dasharray="3 2"/>`)
    + `<text x="${x(v) + 5}" y="${y + 15}" font-size="12">${v.toFixed(2)}×</text>`;
}).join('');
writeFileSync(join(OUT, 'report.svg'), `<svg xmlns="http://www.w3.org/2000/svg" width="820" height="${40 + bars.length * 34}" font-family="sans-serif">`
  + `<text x="300" y="12" font-size="11">ratio (dashed line: target; green: met)</text>${rows}</svg>`);
console.log(`\nbench: wrote ${join(OUT, 'report.json')} and report.svg`);
