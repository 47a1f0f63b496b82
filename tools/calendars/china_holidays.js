#!/usr/bin/env node
// Generates, or cross-checks, the China holiday and make-up working day block
// of a calendar file from the npm package `chinese-days` (the State Council's
// official arrangements).  Install the package OUTSIDE the repository:
//
//   mkdir -p /tmp/cal-npm && (cd /tmp/cal-npm && npm install chinese-days)
//   NODE_PATH=/tmp/cal-npm/node_modules node tools/calendars/china_holidays.js 2025 2026
//       -> prints the YAML between the BEGIN/END GENERATED markers
//   NODE_PATH=/tmp/cal-npm/node_modules node tools/calendars/china_holidays.js \
//       --check rules/calendars/office.yaml 2025 2026
//       -> exit 0 when every date of those years has the same working status
//          in the file as in the package, else lists the differences, exit 1
//
// Consecutive days off with the same festival name become one range; days
// off that fall on a weekend inside a festival are included, so the ranges
// match the published "放假调休" notices.
'use strict';
const fs = require('fs');
const cd = require('chinese-days');

const args = process.argv.slice(2);
let check = null;
if (args[0] === '--check') { check = args[1]; args.splice(0, 2); }
const years = args.map(Number).filter((y) => y > 1900);
if (years.length === 0) { console.error('usage: china_holidays.js [--check FILE] YEAR...'); process.exit(2); }

const iso = (d) => d.toISOString().slice(0, 10);
const festival = (name) => (name || '').split(',')[0];
function* daysOf(year) {
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d = new Date(d.getTime() + 86400000)) yield d;
}

// The package's view: per date, {work, name}, only where it differs from Mon-Fri.
const official = new Map();
const holidays = [], makeups = [];
for (const y of years) {
  for (const d of daysOf(y)) {
    const s = iso(d), wd = d.getUTCDay(), det = cd.getDayDetail(s);
    const weekend = wd === 0 || wd === 6;
    const fest = festival(det.name);
    const named = fest && !/^(Saturday|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday)$/.test(fest);
    if (!det.work && named) {
      official.set(s, false);
      const last = holidays[holidays.length - 1];
      const prev = iso(new Date(d.getTime() - 86400000));
      if (last && last.to === prev && last.name === fest) last.to = s;
      else holidays.push({ from: s, to: s, name: fest });
    } else if (det.work && weekend) {
      official.set(s, true);
      makeups.push({ date: s, name: fest });
    } else if (!det.work && !weekend) {
      official.set(s, false);  // a weekday off without a festival name: report it
      holidays.push({ from: s, to: s, name: fest || 'holiday' });
    }
  }
}

const q = (name) => (/['":#]/.test(name) ? JSON.stringify(name) : name);
if (!check) {
  console.log('holidays:');
  for (const h of holidays) {
    if (h.from === h.to) console.log(`  - { date: ${h.from}, name: ${q(h.name)} }`);
    else console.log(`  - { from: ${h.from}, to: ${h.to}, name: ${q(h.name)} }`);
  }
  console.log('makeup_workdays:');
  for (const m of makeups) console.log(`  - { date: ${m.date}, name: ${q(m.name)} }`);
  process.exit(0);
}

// --check: read the file's flow-style entries (the format this tool writes).
const text = fs.readFileSync(check, 'utf8');
const fileDays = new Map();
let section = null;
for (const line of text.split('\n')) {
  const head = line.match(/^(holidays|makeup_workdays):/);
  if (head) { section = head[1]; continue; }
  if (/^\S/.test(line)) section = null;
  if (!section) continue;
  const date = line.match(/date:\s*(\d{4}-\d{2}-\d{2})/);
  const from = line.match(/from:\s*(\d{4}-\d{2}-\d{2})/), to = line.match(/to:\s*(\d{4}-\d{2}-\d{2})/);
  const range = date ? [date[1], date[1]] : from && to ? [from[1], to[1]] : null;
  if (!range) continue;
  for (let d = new Date(range[0] + 'T00:00:00Z'); iso(d) <= range[1]; d = new Date(d.getTime() + 86400000))
    fileDays.set(iso(d), section === 'makeup_workdays');
}
let bad = 0;
for (const y of years) {
  for (const d of daysOf(y)) {
    const s = iso(d), wd = d.getUTCDay();
    const normal = wd !== 0 && wd !== 6;
    const want = official.has(s) ? official.get(s) : normal;
    const have = fileDays.has(s) ? fileDays.get(s) : normal;
    if (want !== have) {
      console.log(`${s}: package says ${want ? 'working' : 'day off'}, ${check} says ${have ? 'working' : 'day off'}`);
      ++bad;
    }
  }
}
console.log(bad ? `${bad} difference(s)` : `${check}: ${years.join(', ')} match chinese-days ${require('chinese-days/package.json').version}`);
process.exit(bad ? 1 : 0);
