// report.html in a real browser: opened from disk with the network closed, its tables checked
// against times.csv, a chart's tooltip against affordability.csv, the target switch, and
// screenshots (screen and print) under out/screenshots/.
//
// REPORT_DIR names a run's output folder made with `run --html` (default: out/report-test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SHOTS, launch, offlinePage, percent, readCsv } from './browser.mjs';

const DIR = resolve(ROOT, process.env.REPORT_DIR || 'out/report-test');
const HTML = join(DIR, 'report.html');
const summary = JSON.parse(readFileSync(join(DIR, 'summary.json'), 'utf8'));
const END = summary.end_year;
const times = readCsv(join(DIR, 'times.csv'));
const curves = readCsv(join(DIR, 'affordability.csv'));

let browser;
let session;

before(async () => {
  assert.ok(existsSync(HTML), `${HTML} is missing: run \`diffusion-sim run ... --html\` first`);
  browser = await launch();
  session = await offlinePage(browser);
  await session.page.goto(pathToFileURL(HTML).href, { waitUntil: 'load' });
});

after(async () => {
  await browser?.close();
});

/** `2031.4`, or `not by 2045` for an empty cell. */
const yearText = (v) => (v === '' ? `not by ${END}` : Number(v).toFixed(1));

/** Displayed year text matches a times.csv cell (to the 0.1 shown). */
function sameYear(shown, cell, what) {
  if (cell === '') {
    assert.equal(shown, `not by ${END}`, what);
  } else {
    assert.ok(Math.abs(Number(shown) - Number(cell)) <= 0.05 + 1e-9, `${what}: ${shown} vs ${cell}`);
  }
}

test('opens from disk with no network request and no script error', async () => {
  const { page, blocked, errors } = session;
  assert.deepEqual(blocked, [], 'no http(s) request may be attempted');
  assert.deepEqual(errors, []);
  const external = await page.$$eval('[src], link[href], [srcset], object[data]', (els) =>
    els.map((e) => e.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(external, [], 'no external resource elements');
  assert.equal(await page.title(), `${summary.scenario} · diffusion-sim report`);
});

test('every table number equals times.csv', async () => {
  const rows = await session.page.$$eval('section.target tbody tr', (trs) =>
    trs.map((tr) => ({
      target: tr.closest('section.target').dataset.target,
      actor: tr.dataset.actor,
      cells: Object.fromEntries(
        [...tr.querySelectorAll('td[data-col]')].map((td) => [
          td.dataset.col,
          { v: td.dataset.v, v2: td.dataset.v2, text: td.textContent },
        ]),
      ),
    })),
  );
  assert.equal(rows.length, times.length, 'one table row per target × class');
  for (const t of times) {
    const what = `${t.target} · ${t.actor}`;
    const r = rows.find((x) => x.target === t.target && x.actor === t.actor);
    assert.ok(r, `row for ${what}`);
    assert.equal(Number(r.cells.p.v), Number(t.p_by_horizon), `${what}: P`);
    assert.equal(r.cells.p.text, percent(Number(t.p_by_horizon)), `${what}: P shown`);
    assert.equal(r.cells.median.v, t.year_p50 === '' ? '' : String(Number(t.year_p50)), `${what}: median`);
    sameYear(r.cells.median.text, t.year_p50, `${what}: median shown`);
    const [lo, hi] = r.cells.interval.text.split(' – ');
    assert.equal(Number(r.cells.interval.v), Number(t.year_p5), `${what}: p5`);
    assert.equal(Number(r.cells.interval.v2), Number(t.year_p95), `${what}: p95`);
    sameYear(lo, t.year_p5, `${what}: p5 shown`);
    sameYear(hi, t.year_p95, `${what}: p95 shown`);
    if (t.frontier_year !== '') {
      assert.equal(r.cells.lag.v, t.lag_p50 === '' ? '' : String(Number(t.lag_p50)), `${what}: lag`);
    } else {
      assert.equal(r.cells.lag, undefined, `${what}: no lag column`);
    }
  }
});

/**
 * Hovers a point of target `key`'s affordability chart, the first from index `from` on that no
 * other point covers; returns its index and the tooltip's text.
 */
async function hoverPoint(key, from) {
  const { page } = session;
  const selector = `section.target[data-key="${key}"] figure.affordability circle.pt`;
  const i = await page.$$eval(
    selector,
    (pts, from) => {
      pts[from].scrollIntoView({ block: 'center' });
      for (let i = from; i < pts.length; i++) {
        const b = pts[i].getBoundingClientRect();
        if (document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2) === pts[i]) return i;
      }
      return -1;
    },
    from,
  );
  assert.ok(i >= 0, 'an uncovered point');
  await page.locator(selector).nth(i).hover();
  const tip = page.locator('#tip');
  await tip.waitFor({ state: 'visible' });
  return { i, text: await tip.innerText() };
}

/** What the tooltip of point `i` of a target's affordability chart must say. */
function expectedTip(target, i) {
  const years = summary.years;
  const actors = [...new Set(times.map((t) => t.actor))];
  const actor = actors[Math.floor(i / years.length)];
  const year = years[i % years.length];
  const p = curves.find((c) => c.target === target && c.actor === actor && Number(c.year) === year);
  const t = times.find((x) => x.target === target && x.actor === actor);
  return {
    actor,
    year,
    lines: [
      `${actor} · ${target}`,
      `${year.toFixed(0)}: P(affordable) ${percent(Number(p.probability))}`,
      `median year ${yearText(t.year_p50)} (90%: ${yearText(t.year_p5)} – ${yearText(t.year_p95)})`,
    ],
  };
}

test('hovering a chart point shows its numbers', async () => {
  const target = summary.affordability[0].target;
  // From the third class's sixth reporting year on.
  const { i, text } = await hoverPoint(0, summary.years.length * 2 + 5);
  assert.deepEqual(text.split('\n'), expectedTip(target, i).lines);
  await session.page.screenshot({ path: join(SHOTS, 'report-tooltip.png') });
});

test('the target select switches the affordability curves', async () => {
  const { page } = session;
  const targets = [...new Set(times.map((t) => t.target))];
  assert.ok(targets.length >= 2, 'the test run needs two targets or more');
  const key = targets.length - 1;
  assert.equal(await page.locator('section.target[data-key="0"]').isVisible(), true);
  await page.selectOption('#target-select', String(key));
  assert.equal(await page.locator('section.target[data-key="0"]').isVisible(), false);
  assert.equal(await page.locator(`section.target[data-key="${key}"]`).isVisible(), true);
  const { i, text } = await hoverPoint(key, summary.years.length + 10);
  assert.deepEqual(text.split('\n'), expectedTip(targets[key], i).lines);
  await page.selectOption('#target-select', '0');
});

test('screenshots: desktop and print', async () => {
  const { page, blocked } = session;
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'report-desktop.png') });
  await page.screenshot({ path: join(SHOTS, 'report-desktop-full.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  const hidden = await page.$$eval('section.target', (s) => s.filter((x) => x.offsetParent === null).length);
  assert.equal(hidden, 0, 'print shows every target');
  assert.equal(await page.locator('.controls').first().isVisible(), false, 'print hides the controls');
  await page.screenshot({ path: join(SHOTS, 'report-print-full.png'), fullPage: true });
  await page.screenshot({
    path: join(SHOTS, 'report-print.png'),
    fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: 1800 },
  });
  // page.pdf prints with the print media emulated above.
  await page.pdf({ path: join(SHOTS, 'report.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(blocked, [], 'still no network request');
});

test('hovering a tornado bar shows the swing of its input', async (t) => {
  const { page } = session;
  const file = join(DIR, 'sensitivity.csv');
  if (!existsSync(file)) {
    t.skip('the run has no sensitivity.csv');
    return;
  }
  const rows = readCsv(file);
  const figure = page.locator('figure.tornado:visible');
  const [target, actor] = (await figure.locator('figcaption').innerText()).split(' · ');
  const mine = rows
    .filter((r) => r.target === target && r.actor === actor)
    .sort((a, b) => Number(b.swing_years) - Number(a.swing_years));
  await figure.scrollIntoViewIfNeeded();
  await figure.locator('rect.bar').first().hover();
  const lines = (await page.locator('#tip').innerText()).split('\n');
  assert.equal(lines[0], mine[0].input);
  const at = lines[1].match(/median year (.+)$/)[1];
  sameYear(at, mine[0].median_year_input_at_p5, 'input at p5');
});
