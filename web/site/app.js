// The playground page: scenario picker, TOML editor, sliders and results. Every number comes
// from the engine (worker.js running engine.wasm): the sliders' settings are the engine's
// `scale` answers, their labels its `knobs` answers, the curves and table its summary.json.
// Nothing of the model is computed here; this file only asks, draws and formats.
//
// Two workers: `quick` answers knobs/scale (milliseconds) so the sliders' labels follow the
// mouse, `runner` runs the Monte Carlo. Runs go latest-only: while one runs, newer requests
// replace each other and only the last one runs next; a change of scenario, samples or seed
// stops the run in flight (its worker is ended and a new one starts from the compiled module).
// With sliders moved, the run at 1× of the same text, samples and seed is kept (or run while
// idle) to compare with: dashed curves and a "vs 1×" column.
'use strict';

/** The sliders: these inputs, when the scenario has them as knobs (lognormal "a to b"). */
const TREND_KNOBS = [
  ['hardware.doubling_time_years', 'Hardware doubling time'],
  ['algorithms.halving_time_years', 'Algorithm halving time'],
  ['investment.growth_per_year', 'Frontier spend growth'],
];
const CLASS_KNOBS = [
  ['budget', 'Budget'],
  ['algorithm_lag_years', 'Algorithm lag'],
];
/** Slider positions are log2 of the factor: -2..2 is ×¼..×4, in steps of 2^(1/8). */
const STEP = 0.125;

/**
 * Class colours, mirroring `class_colours` in src/plot/style.rs so a class has the colour it has
 * in the command line's charts: the seven standard classes take the Okabe–Ito palette in this
 * order; any other class the first free colour of the whole list from index 8 + (FNV-1a 64 of
 * its name mod 2), wrapping round.
 */
const PALETTE = [
  '#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#b8a600', '#787878',
  '#332288', '#882255', '#999933', '#cc6677', '#ddcc77', '#117733', '#44aa99', '#aa4499',
];
const STANDARD_CLASSES = [
  'Frontier labs', 'Big tech', 'Well-funded startups', 'National governments', 'Academic labs',
  'Open-source collectives', 'Individuals',
];
function classColours(names) {
  const taken = PALETTE.map(() => false);
  const out = names.map((n) => {
    const i = STANDARD_CLASSES.indexOf(n);
    if (i < 0) return null;
    taken[i] = true;
    return PALETTE[i];
  });
  names.forEach((name, k) => {
    if (out[k]) return;
    let h = 0xcbf29ce484222325n;
    for (const b of new TextEncoder().encode(name)) {
      h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    const start = 8 + Number(h % 2n);
    let free = start;
    for (let d = 0; d < PALETTE.length; d++) {
      const i = (start + d) % PALETTE.length;
      if (!taken[i]) { free = i; break; }
    }
    taken[free] = true;
    out[k] = PALETTE[free];
  });
  return out;
}

const $ = (id) => document.getElementById(id);

/** One engine worker; `call` returns a promise of the answer ({ok} or {error}, with `ms`). */
class Engine {
  constructor(module) {
    this.worker = new Worker('worker.js');
    this.next = 1;
    this.waiting = new Map();
    this.ready = new Promise((resolve, reject) => {
      this.waiting.set('ready', { resolve, reject });
    });
    this.ready.catch(() => {}); // a worker ended before it was ready is no error
    this.worker.onmessage = (ev) => {
      const m = ev.data;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.id === 'ready') {
        if (m.fatal) w.reject(new Error(m.error.message));
        else w.resolve(m.module);
      } else {
        w.resolve(m);
      }
    };
    this.worker.onerror = (ev) => this.fail(new Error(ev.message || 'worker error'));
    this.worker.postMessage(module ? { module } : { start: true });
  }

  call(op, req) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, req });
    });
  }

  fail(err) {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  terminate() {
    this.worker.terminate();
    this.fail(new Error('cancelled'));
  }
}

const state = {
  files: [], // [{file, name}]
  file: null, // the picked scenario's file name
  original: '', // its shipped text
  knobs: new Map(), // key -> knob as written (from `knobs` on the editor's text)
  factors: new Map(), // key -> log2 of the slider's factor
  sets: new Map(), // key -> the engine's `scale` setting for that factor
  textOk: false,
  summary: null,
  scenarioToml: null,
  runs: 0, // finished runs
  lastRun: null, // {ms, samples, seed, set, file, edited}
  module: null,
  quick: null,
  runner: null,
  running: null, // the request in flight
  pending: null, // the newest request not yet sent
  ref: null, // {key, summary}: the run at 1× (no settings) of a text, samples and seed
};

/** What identifies the 1× run a moved slider is compared with. */
const refKey = (req) => JSON.stringify([req.text, req.samples, req.seed]);

// ---------------------------------------------------------------------------------------------
// Formatting (display only).

function sig(v, digits = 3) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

function money(v) {
  const units = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  // 0.995: what rounds to 1,000 of a unit is shown as 1 of the next.
  for (const [u, s] of units) if (Math.abs(v) >= 0.995 * u) return `$${sig(v / u, 2)}${s}`;
  return `$${sig(v, 2)}`;
}

/** A knob's median and 90% range as its label shows them: `$450M ($100M – $2B)`, `2.3 (1.8 – 3) yr`. */
function knobText(key, k) {
  if (/(^|\.)(budget|max_budget|frontier_spend|dollars_per_person_year)$/.test(key)) {
    return `${money(k.median)} (${money(k.p5)} – ${money(k.p95)})`;
  }
  const unit = /_years$/.test(key) ? ' yr' : /growth_per_year$/.test(key) ? ' ×/yr' : '';
  const n = (v) => sig(v, unit === ' yr' ? 2 : 3);
  return `${n(k.median)} (${n(k.p5)} – ${n(k.p95)})${unit}`;
}

function factorText(e) {
  const f = 2 ** e;
  if (e === 0) return '1×';
  return `${f < 1 ? sig(f, 2) : sig(f, 3)}×`;
}

/** A probability as the command line prints it: one decimal, never rounded to a certainty it
 * is not (0.99975 → ">99.9%", 0.00004 → "<0.1%"). */
function percent(p) {
  if (p > 0 && p < 0.0005) return '<0.1%';
  if (p >= 0.9995 && p < 1) return '>99.9%';
  return `${(100 * p).toFixed(1)}%`;
}

const yearText = (v, end) => (v === null || v === undefined ? `not by ${end}` : v.toFixed(1));

function shellQuote(s) {
  return /^[\w./=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// Status.

function setStatus(text, busy) {
  $('status').textContent = text;
  document.body.dataset.busy = busy ? '1' : '0';
}

/** For tests and the curious: whether nothing is running or waiting. */
window.playground = {
  idle: () => !state.running && !state.pending && !runTimer,
  get runs() { return state.runs; },
  get lastRun() { return state.lastRun; },
  /** The last run's summary.json, as the engine returned it (for the browser test). */
  get summary() { return state.summary; },
};

// ---------------------------------------------------------------------------------------------
// The editor: line numbers and the error's line.

const LINE = 18; // px, as in style.css (#text, #gutter div)
const PAD = 6; // px, the textarea's top padding

function renderGutter() {
  const n = $('text').value.split('\n').length;
  const g = $('gutter');
  if (g.childElementCount !== n) {
    const parts = [];
    for (let i = 1; i <= n; i++) parts.push(`<div data-line="${i}">${i}</div>`);
    g.innerHTML = parts.join('');
  }
  g.scrollTop = $('text').scrollTop;
  placeBand();
}

let errorLine = null;

function placeBand() {
  const band = $('band');
  if (!errorLine) { band.hidden = true; return; }
  band.hidden = false;
  band.style.top = `${PAD + (errorLine - 1) * LINE - $('text').scrollTop}px`;
}

/** Shows a scenario error under the editor and marks its line (or clears it, for null). */
function showTextError(err) {
  const box = $('text-error');
  for (const d of $('gutter').querySelectorAll('.err')) d.classList.remove('err');
  errorLine = null;
  if (!err) {
    box.hidden = true;
    box.textContent = '';
    placeBand();
    return;
  }
  const where = [];
  if (err.line) where.push(`Line ${err.line}${err.column ? `, column ${err.column}` : ''}`);
  if (err.key) where.push(err.key);
  // The engine's message starts with `<editor>:line:column: `key`: `; the place is shown above.
  const msg = err.message.replace(/^<editor>(:\d+)*:\s*/, '').replace(/^`[^`]*`:\s*/, '');
  box.innerHTML = '';
  const head = document.createElement('strong');
  head.textContent = where.length ? `${where.join(' · ')}: ` : 'Error: ';
  box.append(head, document.createTextNode(msg));
  box.hidden = false;
  box.dataset.line = err.line || '';
  if (err.line) {
    errorLine = err.line;
    $('gutter').querySelector(`[data-line="${err.line}"]`)?.classList.add('err');
    const t = $('text');
    const y = (err.line - 1) * LINE;
    if (y < t.scrollTop || y > t.scrollTop + t.clientHeight - 3 * LINE) {
      t.scrollTop = Math.max(0, y - t.clientHeight / 3);
    }
    renderGutter();
  }
}

function showSetError(err) {
  const box = $('set-error');
  box.hidden = !err;
  box.textContent = err ? err.message : '';
}

// ---------------------------------------------------------------------------------------------
// Sliders.

function sliderKeys(knobs, actors) {
  const out = [];
  for (const [key, label] of TREND_KNOBS) if (knobs.has(key)) out.push({ key, label, group: 'Trends' });
  for (const a of actors) {
    for (const [field, label] of CLASS_KNOBS) {
      const key = `actor.${JSON.stringify(a)}.${field}`;
      if (knobs.has(key)) out.push({ key, label, group: a });
    }
  }
  return out;
}

function buildSliders(info) {
  const box = $('knobs');
  box.innerHTML = '';
  const colours = new Map(info.actors.map((a, i) => [a, classColours(info.actors)[i]]));
  let group = null;
  const wanted = sliderKeys(state.knobs, info.actors);
  for (const { key, label, group: g } of wanted) {
    if (g !== group) {
      group = g;
      const h = document.createElement('h3');
      if (colours.has(g)) {
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = colours.get(g);
        h.append(sw);
      }
      h.append(document.createTextNode(g));
      box.append(h);
    }
    const div = document.createElement('div');
    div.className = 'knob';
    div.dataset.key = key;
    div.innerHTML = `<div class="knob-head"><label></label><span class="factor"></span></div>
      <div class="knob-row"><input type="range" min="-2" max="2" step="${STEP}"><span class="knob-val"></span></div>`;
    const input = div.querySelector('input');
    input.id = `knob-${wanted.findIndex((w) => w.key === key)}`;
    div.querySelector('label').textContent = label;
    div.querySelector('label').htmlFor = input.id;
    input.value = String(state.factors.get(key) || 0);
    input.title = `${key} = ${state.knobs.get(key).written} as written; double-click: back to 1×`;
    input.addEventListener('input', () => moveSlider(key, Number(input.value)));
    input.addEventListener('dblclick', () => { input.value = '0'; moveSlider(key, 0); });
    box.append(div);
  }
  if (!wanted.length) box.innerHTML = '<p class="hint">This scenario has none of the slider inputs as an uncertain "a to b" value.</p>';
  for (const key of state.factors.keys()) if (!state.knobs.has(key)) state.factors.delete(key);
}

/** Updates the sliders' labels from the engine's knobs with every setting applied. */
async function labelSliders() {
  const text = $('text').value;
  const a = await state.quick.call('knobs', { text, set: [...state.sets.values()] });
  if (text !== $('text').value) return;
  if (a.error) { showSetError(a.error); return; }
  showSetError(null);
  const now = new Map(a.ok.knobs.map((k) => [k.key, k]));
  for (const div of $('knobs').querySelectorAll('.knob')) {
    const key = div.dataset.key;
    const k = now.get(key);
    const e = state.factors.get(key) || 0;
    div.querySelector('.factor').textContent = factorText(e);
    div.classList.toggle('moved', e !== 0);
    if (!k) continue;
    div.querySelector('.knob-val').textContent = knobText(key, k);
  }
}

/** The engine's setting for a knob at factor 2^e (none at 1×). */
async function settingFor(key, e) {
  if (e === 0) return null;
  const a = await state.quick.call('scale', { text: $('text').value, key, factor: 2 ** e });
  if (a.error) throw new Error(a.error.message);
  return a.ok.set;
}

let moveSeq = 0;
async function moveSlider(key, e) {
  const seq = ++moveSeq;
  state.factors.set(key, e);
  try {
    const set = await settingFor(key, e);
    if (set) state.sets.set(key, set);
    else state.sets.delete(key);
  } catch (err) {
    showSetError({ message: String(err.message || err) });
    return;
  }
  scheduleRun(false);
  if (seq === moveSeq) labelSliders();
}

/** Recomputes every setting for the editor's current text (its knobs may have moved). */
async function resetSettings() {
  state.sets.clear();
  for (const [key, e] of state.factors) {
    if (!state.knobs.has(key) || e === 0) continue;
    const set = await settingFor(key, e);
    if (set) state.sets.set(key, set);
  }
}

// ---------------------------------------------------------------------------------------------
// Loading a text: its knobs, then a run.

let loadSeq = 0;
async function loadText({ fresh }) {
  const seq = ++loadSeq;
  const text = $('text').value;
  $('edited').hidden = text === state.original;
  const a = await state.quick.call('knobs', { text });
  if (seq !== loadSeq) return;
  if (a.error) {
    state.textOk = false;
    showTextError(a.error);
    document.body.classList.add('text-bad');
    setStatus('the scenario has an error: see the editor', false);
    return;
  }
  state.textOk = true;
  document.body.classList.remove('text-bad');
  showTextError(null);
  const info = a.ok;
  state.knobs = new Map(info.knobs.map((k) => [k.key, k]));
  if (fresh) {
    state.factors.clear();
    $('seed').value = String(info.seed);
  }
  buildSliders(info);
  try {
    await resetSettings();
  } catch (err) {
    showSetError({ message: String(err.message || err) });
  }
  if (seq !== loadSeq) return;
  const targets = $('target');
  const keep = targets.value;
  targets.innerHTML = '';
  for (const t of info.targets) targets.append(new Option(t, t));
  if (info.targets.includes(keep)) targets.value = keep;
  labelSliders();
  scheduleRun(true);
}

async function pickScenario(file) {
  state.file = file;
  const res = await fetch(`scenarios/${encodeURIComponent(file)}`);
  const text = await res.text();
  state.original = text;
  $('text').value = text;
  $('text').scrollTop = 0;
  renderGutter();
  await loadText({ fresh: true });
}

// ---------------------------------------------------------------------------------------------
// Runs.

let runTimer = null;

// The page draws affordability curves and years, which use every sample. It draws no per-year
// output (cost trajectories and components), so it asks for none (`--trajectory-samples 0`):
// on the baseline they would be most of the engine's time from every sample, and a fifth of it
// from a thousand.
const PER_YEAR = 0;

function currentRequest() {
  const samples = Number($('samples').value);
  return {
    text: $('text').value,
    set: [...state.sets.values()],
    samples,
    seed: Number($('seed').value),
    trajectory_samples: PER_YEAR,
  };
}

/** Asks for a run with the current inputs after a short pause (the latest inputs win). */
function scheduleRun(hard) {
  if (!state.textOk) return;
  clearTimeout(runTimer);
  runTimer = setTimeout(() => {
    runTimer = null;
    submit(currentRequest(), hard);
  }, hard ? 0 : 60);
}

function submit(req, hard) {
  state.pending = req;
  // A reference run (1×, run while idle) never holds up the user's request.
  if (state.running && (hard || state.running.ref)) {
    state.runner.terminate();
    state.runner = new Engine(state.module);
    state.running = null;
  }
  if (!state.running) startNext();
  else setStatus(`running… (a newer request waits)`, true);
}

async function startNext() {
  const req = state.pending;
  state.pending = null;
  if (!req) return;
  state.running = req;
  if (!req.ref) $('results').classList.add('stale');
  setStatus(`running ${req.samples.toLocaleString('en')} samples${req.ref ? ' at 1× to compare' : ''}…`, true);
  const runner = state.runner;
  let a;
  try {
    const { text, set, samples, seed, trajectory_samples } = req;
    // Only the files the page reads: the CSVs would be a twentieth of the engine's time.
    const files = ['summary.json', 'scenario.toml'];
    a = await runner.call('run', { text, set, samples, seed, trajectory_samples, files });
  } catch {
    return; // cancelled: a newer run took its place
  }
  if (runner !== state.runner) return;
  state.running = null;
  if (a.fatal) {
    state.runner.terminate();
    state.runner = new Engine(state.module);
  }
  if (req.ref) {
    if (a.ok) {
      state.ref = { key: refKey(req), summary: JSON.parse(a.ok.files['summary.json']) };
      renderTarget();
    }
    const last = state.lastRun;
    if (last) setStatus(`engine ${(last.ms / 1000).toFixed(2)} s for ${last.samples.toLocaleString('en')} samples`, false);
  } else if (a.error) {
    if (a.error.set) showSetError(a.error);
    else showTextError(a.error);
    setStatus('the run failed: see the message', false);
  } else {
    state.runs++;
    showSetError(null);
    render(a.ok, req, a.ms);
  }
  if (state.pending) {
    startNext();
    return;
  }
  $('results').classList.remove('stale');
  // Sliders moved and no 1× run of this text, samples and seed yet: run it now, while idle.
  if (!req.ref && !a.error && req.set.length && state.ref?.key !== refKey(req)) {
    state.pending = { ...req, set: [], ref: true };
    startNext();
  }
}

function render(ok, req, ms) {
  const summary = JSON.parse(ok.files['summary.json']);
  state.summary = summary;
  state.summaryKey = refKey(req);
  state.summaryMoved = req.set.length > 0;
  if (!req.set.length) state.ref = { key: state.summaryKey, summary };
  state.scenarioToml = ok.files['scenario.toml'];
  $('table-text').textContent = ok.table;
  const edited = req.text !== state.original;
  state.lastRun = { ms, samples: req.samples, seed: req.seed, set: req.set, file: state.file, edited };
  document.body.dataset.runs = String(state.runs);
  setStatus(`engine ${(ms / 1000).toFixed(2)} s for ${req.samples.toLocaleString('en')} samples`, false);
  $('download').disabled = false;
  renderCommand(req, edited);
  renderTarget();
}

function downloadName() {
  return `${state.file.replace(/\.toml$/, '')}-playground.toml`;
}

function renderCommand(req, edited) {
  const file = edited ? downloadName() : `scenarios/${state.file}`;
  const parts = ['diffusion-sim', 'run', file, '--samples', String(req.samples), '--seed', String(req.seed)];
  if (req.trajectory_samples !== undefined) parts.push('--trajectory-samples', String(req.trajectory_samples));
  if (!edited) for (const s of req.set) parts.push('--set', s);
  const cmd = parts
    .map(shellQuote)
    .join(' ')
    .replace(/ --(set|trajectory-samples) /g, ' \\\n    --$1 ');
  $('command').textContent = cmd;
  $('command').dataset.set = JSON.stringify(edited ? [] : req.set);
  // Non-breaking hyphens (U+2011): the option is not split across lines.
  const perYear = req.trajectory_samples === 0
    ? ' Without \u2011\u2011trajectory\u2011samples\u00a00 the run also writes the per-year costs and their charts, which the page does not draw.'
    : '';
  $('command-note').textContent = (edited
    ? `The text was edited: "Download TOML" saves it as ${file}, slider settings included.`
    : 'Same scenario, settings, samples and seed: the same numbers, to the last digit.') + perYear;
}

/** The chart and the table of the picked target. */
function renderTarget() {
  const s = state.summary;
  if (!s) return;
  const target = $('target').value || s.affordability[0]?.target;
  const rows = s.affordability.filter((r) => r.target === target);
  const actors = [...new Set(s.affordability.map((r) => r.actor))];
  const colours = classColours(actors);
  const colourOf = new Map(actors.map((a, i) => [a, colours[i]]));
  // With sliders moved: the 1× run of the same text, samples and seed, to compare with.
  const ref = state.summaryMoved && state.ref?.key === state.summaryKey ? state.ref.summary : null;
  const refRows = ref ? ref.affordability.filter((r) => r.target === target) : [];
  $('table').classList.toggle('compared', !!ref);
  $('p-head').textContent = `P by ${s.end_year}`;
  const tbody = $('table').querySelector('tbody');
  tbody.innerHTML = '';
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.actor = r.actor;
    tr.dataset.target = r.target;
    const q = r.year;
    tr.innerHTML = `<td class="actor"><span class="swatch"></span></td>
      <td class="p" data-v="${r.p_by_horizon}">${percent(r.p_by_horizon)}</td>
      <td class="median" data-v="${q.p50 ?? ''}">${yearText(q.p50, s.end_year)}</td>
      <td class="interval" data-v="${q.p5 ?? ''}" data-v2="${q.p95 ?? ''}">${yearText(q.p5, s.end_year)} – ${yearText(q.p95, s.end_year)}</td>`;
    const was = refRows.find((x) => x.actor === r.actor);
    const shift = document.createElement('td');
    shift.className = 'shift';
    if (was) {
      const a = was.year.p50, b = q.p50;
      if (a !== null && b !== null) {
        const d = b - a;
        shift.textContent = Math.abs(d) < 0.05 ? '±0.0' : `${d < 0 ? '−' : '+'}${Math.abs(d).toFixed(1)}`;
        shift.classList.add(d <= -0.05 ? 'earlier' : d >= 0.05 ? 'later' : 'same');
      } else if (a !== b) {
        shift.textContent = `was ${yearText(a, s.end_year)}`;
        shift.classList.add(a === null ? 'earlier' : 'later');
      } else {
        shift.textContent = '';
      }
      shift.title = `median year at 1×: ${yearText(a, s.end_year)}`;
    }
    tr.insertBefore(shift, tr.querySelector('.interval'));
    tr.querySelector('.swatch').style.background = colourOf.get(r.actor);
    tr.querySelector('.actor').append(document.createTextNode(r.actor));
    tbody.append(tr);
  }
  drawChart(s, rows, colourOf, refRows);
}

const SVG = 'http://www.w3.org/2000/svg';
function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** P(affordable by year), one line per class, from summary.json's years and p_by_year. */
function drawChart(s, rows, colourOf, refRows) {
  // Drawn at the figure's own width, so text is at its CSS size.
  const W = Math.max(360, Math.round($('chart').clientWidth || 640)), H = 320, L = 44, R = 14, T = 24, B = 30;
  const years = s.years;
  const x0 = years[0], x1 = years[years.length - 1];
  const x = (v) => L + ((v - x0) / (x1 - x0)) * (W - L - R);
  const y = (p) => T + (1 - p) * (H - T - B);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `P(affordable) by year, ${rows[0]?.target}` });
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(el('line', { x1: L, x2: W - R, y1: y(p), y2: y(p), class: p === 0.5 ? 'grid mid' : 'grid' }));
    svg.append(el('text', { x: L - 6, y: y(p) + 4, class: 'tick', 'text-anchor': 'end' }, `${p * 100}%`));
  }
  const step = x1 - x0 > 40 ? 10 : 5;
  for (let v = Math.ceil(x0 / step) * step; v <= x1; v += step) {
    svg.append(el('line', { x1: x(v), x2: x(v), y1: T, y2: H - B, class: 'grid' }));
    svg.append(el('text', { x: x(v), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, String(v)));
  }
  svg.append(el('text', { x: L, y: T - 9, class: 'axis' }, `P(${rows[0]?.target} affordable by year), one line per class`));
  // The 1× curves, faint and dashed, under the moved ones.
  for (const r of refRows) {
    const pts = years.map((yr, i) => `${x(yr).toFixed(1)},${y(r.p_by_year[i]).toFixed(1)}`).join(' ');
    svg.append(el('polyline', { points: pts, class: 'curve ref', stroke: colourOf.get(r.actor) }));
  }
  if (refRows.length) {
    const lx = W - R - 150;
    svg.append(el('line', { x1: lx, x2: lx + 22, y1: T - 13, y2: T - 13, class: 'curve ref', stroke: '#6b7280' }));
    svg.append(el('text', { x: lx + 28, y: T - 9, class: 'axis' }, 'dashed: sliders at 1×'));
  }
  for (const r of rows) {
    const pts = years.map((yr, i) => `${x(yr).toFixed(1)},${y(r.p_by_year[i]).toFixed(1)}`).join(' ');
    const line = el('polyline', { points: pts, class: 'curve', stroke: colourOf.get(r.actor), 'data-actor': r.actor });
    line.append(el('title', {}, r.actor));
    svg.append(line);
  }
  svg.append(el('rect', { x: L, y: T, width: W - L - R, height: H - T - B, class: 'frame' }));
  // Hover: a rule at the nearest reporting year, a dot per class, and their probabilities.
  const rule = el('line', { y1: T, y2: H - B, class: 'rule', visibility: 'hidden' });
  const dots = rows.map((r) => el('circle', { r: 3.5, fill: colourOf.get(r.actor), class: 'dot', visibility: 'hidden' }));
  svg.append(rule, ...dots);
  const hit = el('rect', { x: L, y: T, width: W - L - R, height: H - T - B, class: 'hit' });
  svg.append(hit);
  const tip = document.createElement('div');
  tip.id = 'tip';
  tip.hidden = true;
  const hide = () => {
    tip.hidden = true;
    rule.setAttribute('visibility', 'hidden');
    for (const d of dots) d.setAttribute('visibility', 'hidden');
  };
  hit.addEventListener('mouseleave', hide);
  hit.addEventListener('mousemove', (ev) => {
    const box = svg.getBoundingClientRect();
    const px = ((ev.clientX - box.left) / box.width) * W;
    let i = 0;
    for (let k = 1; k < years.length; k++) if (Math.abs(x(years[k]) - px) < Math.abs(x(years[i]) - px)) i = k;
    rule.setAttribute('x1', x(years[i]));
    rule.setAttribute('x2', x(years[i]));
    rule.setAttribute('visibility', 'visible');
    rows.forEach((r, k) => {
      dots[k].setAttribute('cx', x(years[i]));
      dots[k].setAttribute('cy', y(r.p_by_year[i]));
      dots[k].setAttribute('visibility', 'visible');
    });
    tip.replaceChildren();
    const head = document.createElement('div');
    head.className = 'tip-head';
    head.textContent = `P(affordable by ${years[i]})`;
    tip.append(head);
    for (const r of rows) {
      const line = document.createElement('div');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = colourOf.get(r.actor);
      const v = document.createElement('b');
      v.textContent = percent(r.p_by_year[i]);
      line.append(sw, document.createTextNode(` ${r.actor} `), v);
      tip.append(line);
    }
    tip.hidden = false;
    const fx = (x(years[i]) / W) * box.width;
    const left = fx > box.width / 2 ? fx - tip.offsetWidth - 12 : fx + 12;
    tip.style.left = `${left}px`;
    tip.style.top = `${(T / H) * box.height + 30}px`;
  });
  $('chart').replaceChildren(svg, tip);
}

// ---------------------------------------------------------------------------------------------
// Wiring.

async function main() {
  state.quick = new Engine();
  try {
    state.module = await state.quick.ready;
  } catch (err) {
    setStatus(String(err.message || err), false);
    return;
  }
  state.runner = new Engine(state.module);
  const index = await (await fetch('scenarios/index.json')).json();
  state.files = index;
  for (const s of index) {
    const o = new Option(s.name, s.file);
    o.title = `scenarios/${s.file}`;
    $('scenario').append(o);
  }
  const wanted = new URLSearchParams(location.search).get('scenario');
  const first = index.find((s) => s.file === wanted) || index.find((s) => s.file === 'baseline.toml') || index[0];
  $('scenario').value = first.file;

  $('scenario').addEventListener('change', () => pickScenario($('scenario').value));
  $('samples').addEventListener('change', () => scheduleRun(true));
  $('seed').addEventListener('change', () => scheduleRun(true));
  $('target').addEventListener('change', renderTarget);
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderTarget, 100);
  });
  let editTimer = null;
  $('text').addEventListener('input', () => {
    renderGutter();
    clearTimeout(editTimer);
    editTimer = setTimeout(() => loadText({ fresh: false }), 350);
  });
  $('text').addEventListener('scroll', renderGutter);
  $('reset').addEventListener('click', () => {
    state.factors.clear();
    state.sets.clear();
    for (const i of $('knobs').querySelectorAll('input')) i.value = '0';
    labelSliders();
    scheduleRun(false);
  });
  $('revert').addEventListener('click', () => {
    $('text').value = state.original;
    renderGutter();
    loadText({ fresh: false });
  });
  $('download').addEventListener('click', () => {
    if (!state.scenarioToml) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([state.scenarioToml], { type: 'application/toml' }));
    a.download = downloadName();
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  $('copy').addEventListener('click', () => {
    navigator.clipboard?.writeText($('command').textContent.replace(/ \\\n\s+/g, ' '));
  });
  await pickScenario(first.file);
}

main().catch((err) => setStatus(`failed: ${err.message || err}`, false));
