// The browser's engine (web/dist/engine.wasm) against the native binary: for shipped scenarios,
// every file a run writes (all but manifest.json, which records times) is byte-identical to the
// command line's for the same samples and seed, and the same with a `--set` setting. Both are
// the same Rust code; the cost breakdown uses the crate's own `exp` and `ln` (src/vecmath.rs),
// the same bits on every target, while the crossing solver still calls each platform's libm,
// whose last-bit differences are not guaranteed away but have not reached the written years
// (six decimals) in these cases. Runs in Node's V8, the JavaScript engine of Chromium.
//
// Env: PLAYGROUND_DIR (default web/dist), DIFFUSION_SIM (default target/debug/diffusion-sim).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './browser.mjs';

const DIST = resolve(ROOT, process.env.PLAYGROUND_DIR || 'web/dist');
const BIN = resolve(ROOT, process.env.DIFFUSION_SIM || 'target/debug/diffusion-sim');

const { instance } = await WebAssembly.instantiate(readFileSync(join(DIST, 'engine.wasm')), {});
const e = instance.exports;

/** The engine's answer to `run` for `req`. */
function run(req) {
  const bytes = new TextEncoder().encode(JSON.stringify(req));
  const ptr = e.alloc(bytes.length);
  new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
  const out = e.run(ptr, bytes.length);
  e.dealloc(ptr, bytes.length);
  const len = new DataView(e.memory.buffer).getUint32(out, true);
  const text = new TextDecoder().decode(new Uint8Array(e.memory.buffer, out + 4, len));
  e.dealloc(out, len + 4);
  return JSON.parse(text);
}

const CASES = [
  { scenario: 'baseline', set: [] },
  { scenario: 'beyond_compute', set: [] },
  { scenario: 'top_three', set: [] },
  { scenario: 'baseline', set: ['actor."Academic labs".budget=$3M to $30M'] },
];

test('a run asked for some files gives those, the same as in the whole run', () => {
  const text = readFileSync(join(ROOT, 'scenarios', 'baseline.toml'), 'utf8');
  const req = { text, set: [], samples: 2000, seed: 3, trajectory_samples: 500 };
  const all = run(req);
  const some = run({ ...req, files: ['summary.json', 'scenario.toml'] });
  assert.ok(all.ok && some.ok, JSON.stringify(all.error ?? some.error));
  assert.deepEqual(Object.keys(some.ok.files).sort(), ['scenario.toml', 'summary.json']);
  assert.ok(Object.keys(all.ok.files).includes('cost_components.csv'));
  for (const f of ['summary.json', 'scenario.toml']) assert.equal(some.ok.files[f], all.ok.files[f]);
  assert.equal(some.ok.table, all.ok.table);
});

for (const { scenario, set } of CASES) {
  test(`engine = binary: ${scenario}${set.length ? ` with ${set.join(' ')}` : ''}`, () => {
    const path = join(ROOT, 'scenarios', `${scenario}.toml`);
    const answer = run({ text: readFileSync(path, 'utf8'), set, samples: 3000, seed: 7 });
    assert.ok(answer.ok, JSON.stringify(answer.error));
    const dir = mkdtempSync(join(tmpdir(), 'engine-'));
    try {
      const args = ['run', path, '--samples', '3000', '--seed', '7', '--no-charts', '--quiet'];
      for (const s of set) args.push('--set', s);
      execFileSync(BIN, [...args, '--out', join(dir, 'out')], { stdio: 'ignore' });
      const native = readdirSync(join(dir, 'out')).filter((f) => f !== 'manifest.json').sort();
      const engine = Object.keys(answer.ok.files).filter((f) => f !== 'manifest.json').sort();
      assert.deepEqual(engine, native);
      for (const f of native) {
        const want = readFileSync(join(dir, 'out', f), 'utf8');
        assert.ok(answer.ok.files[f] === want, `${scenario}: ${f} differs from the binary's`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
