// The playground's engine thread: loads engine.wasm (web/engine, built by web/build.sh) and
// answers the page's requests, so that the page never freezes while the Monte Carlo runs.
//
// Message in:  {id, op: 'knobs' | 'scale' | 'run', req: {text, set, samples, seed, key?, factor?}}
//              (the first message may instead be {module}: a compiled WebAssembly.Module to use)
// Message out: {id, ok} or {id, error: {message, line, column, key, set}}, plus `ms`, the time
//              the engine took (performance.now() around the exported call, in this thread).
//
// The byte interface (see web/engine/src/lib.rs): the request's JSON is written into memory from
// `alloc`, the export returns a pointer to a 4-byte little-endian length and that much JSON, and
// both buffers go back through `dealloc`.
'use strict';

let engine = null;
let queue = [];

/** Instantiates the engine from a compiled module, or fetches and compiles engine.wasm. */
async function load(module) {
  if (!module) {
    const res = await fetch('engine.wasm');
    if (!res.ok) throw new Error(`engine.wasm: HTTP ${res.status}`);
    module = await WebAssembly.compile(await res.arrayBuffer());
  }
  const instance = await WebAssembly.instantiate(module, {});
  return { exports: instance.exports, module };
}

/** Calls export `op` with the request object; returns the parsed answer. */
function call(op, req) {
  const { exports: e } = engine;
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

function answer(msg) {
  const { id, op, req } = msg;
  if (!['knobs', 'scale', 'run'].includes(op)) {
    postMessage({ id, error: { message: `unknown operation ${op}` } });
    return;
  }
  try {
    const t0 = performance.now();
    const a = call(op, req);
    const ms = performance.now() - t0;
    postMessage({ id, ms, ...a });
  } catch (err) {
    // A trap (e.g. out of memory) leaves the instance unusable: the page starts a new worker.
    postMessage({ id, fatal: true, error: { message: `engine failure: ${err}` } });
  }
}

let loading = null;
onmessage = (ev) => {
  const msg = ev.data;
  if (!loading) {
    loading = load(msg && msg.module).then(
      (e) => {
        engine = e;
        postMessage({ id: 'ready', module: e.module });
        for (const m of queue) answer(m);
        queue = [];
      },
      (err) => postMessage({ id: 'ready', fatal: true, error: { message: `cannot load the engine: ${err}` } }),
    );
  }
  if (msg && msg.module) return;
  if (engine) answer(msg);
  else queue.push(msg);
};
