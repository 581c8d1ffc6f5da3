// Read an iCalendar file with third-party JavaScript parsers and print, as JSON,
// the start of every event occurrence in a window, in UTC.
//
//   node read_ics.mjs FILE FROM TO
//
// FROM and TO are ISO dates. The output is {"ical.js": [...], "node-ical": [...]},
// each a sorted list of {"summary", "start"} with start as an ISO UTC time.
// ical.js uses only the VTIMEZONE in the file, as Thunderbird does; node-ical
// resolves TZID through the platform's time-zone database.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ICAL = require("ical.js");
const nodeIcal = require("node-ical");

const [file, fromText, toText] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const from = new Date(`${fromText}T00:00:00Z`);
const to = new Date(`${toText}T00:00:00Z`);

function withIcalJs() {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const found = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const start = next.toJSDate();
      if (start >= to) break;
      if (start >= from) {
        found.push({ summary: event.summary, start: start.toISOString() });
      }
    }
  }
  return found;
}

function withNodeIcal() {
  const found = [];
  for (const item of Object.values(nodeIcal.sync.parseICS(text))) {
    if (item.type !== "VEVENT") continue;
    const summary = typeof item.summary === "string" ? item.summary : item.summary.val;
    const starts = item.rrule ? item.rrule.between(from, to, true) : [item.start];
    for (const start of starts) {
      if (start >= from && start < to) {
        found.push({ summary, start: new Date(start).toISOString() });
      }
    }
  }
  return found;
}

function sorted(list) {
  return list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

const calname = new ICAL.Component(ICAL.parse(text)).getFirstPropertyValue("x-wr-calname");

process.stdout.write(
  JSON.stringify({
    "ical.js": sorted(withIcalJs()),
    "node-ical": sorted(withNodeIcal()),
    calname,
  }),
);
