// Times the browser engine (web/dist/engine.wasm, built by web/build.sh) in Node's V8, the same
// JavaScript engine as Chromium's, one thread as in the playground's Web Worker.
//
//   node benches/wasm_engine.mjs [SCENARIO] [SAMPLES] [RUNS] [KEY=VALUE ...]
//
// KEY=VALUE settings are passed as `--set` values (e.g. scenario.trajectory_samples=1000).
// ENGINE=path/to/engine.wasm times another build (e.g. an older commit's, for paired runs).
// FILES=summary.json,scenario.toml asks only for those files, as the playground does (default:
// every file `run` writes; builds from before the request had `files` ignore it).
//
// Prints each run's milliseconds (after one warm-up run) and their median. The browser test
// (web/tests/playground.test.mjs) measures the same call inside Chromium.
import { readFileSync } from 'node:fs';

const [scenario = 'scenarios/baseline.toml', samples = '10000', runs = '5', ...set] = process.argv.slice(2);
const wasm = readFileSync(process.env.ENGINE ?? new URL('../web/dist/engine.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(wasm, {});
const e = instance.exports;

function call(op, req) {
  const bytes = new TextEncoder().encode(JSON.stringify(req));
  const ptr = e.alloc(bytes.length);
  new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
  const out = e[op](ptr, bytes.length);
  e.dealloc(ptr, bytes.length);
  const len = new DataView(e.memory.buffer).getUint32(out, true);
  const text = new TextDecoder().decode(new Uint8Array(e.memory.buffer, out + 4, len));
  e.dealloc(out, len + 4);
  return JSON.parse(text);
}

const req = { text: readFileSync(scenario, 'utf8'), set, samples: Number(samples) };
if (process.env.FILES) req.files = process.env.FILES.split(',');
const first = call('run', req);
if (first.error) throw new Error(first.error.message);
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const t0 = performance.now();
  call('run', req);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`${scenario}, ${samples} samples${set.length ? ` (${set.join(' ')})` : ''}: ${times.map((t) => t.toFixed(0)).join(' ')} ms; median ${times[times.length >> 1].toFixed(0)} ms`);
