// Shared harness for the browser tests: Debian's Chromium driven headless by playwright-core,
// with the network closed. Any page test (the report, a later playground) uses these helpers.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (web/tests/ is two levels below it). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where screenshots go: out/screenshots/ (ignored by git). */
export const SHOTS = resolve(ROOT, 'out', 'screenshots');

/** Flags for a closed network: no background traffic, no updates, no sync. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Chromium (CHROMIUM env var, else /usr/bin/chromium). */
export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * A page whose every http(s) request is aborted and recorded: `blocked` lists the URLs the
 * page tried to load, `errors` the page's uncaught errors and console errors. `allow`, an
 * origin such as `http://127.0.0.1:4321` (a test's own local server), is let through.
 */
export async function offlinePage(browser, viewport = { width: 1280, height: 800 }, allow = null) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const blocked = [];
  const errors = [];
  await context.route(/^(https?|wss?):/i, (route) => {
    const url = route.request().url();
    if (allow && (url === allow || url.startsWith(`${allow}/`))) return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, blocked, errors };
}

/** Parses CSV text (quoted cells allowed) into objects keyed by the header row. */
/** A probability as the tool prints it (format::percent): one decimal, never rounded to a
 * certainty it is not. */
export function percent(p) {
  if (p > 0 && p < 0.0005) return '<0.1%';
  if (p >= 0.9995 && p < 1) return '>99.9%';
  return `${(100 * p).toFixed(1)}%`;
}

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Reads and parses a CSV file. */
export function readCsv(path) {
  return parseCsv(readFileSync(path, 'utf8'));
}
