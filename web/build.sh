#!/usr/bin/env bash
# Builds the browser playground into web/dist/: the engine (web/engine, release, for
# wasm32-unknown-unknown) as engine.wasm, the page's files from web/site/, and every shipped
# scenario (scenarios/*.toml) with scenarios/index.json, a list of {file, name}.
#
#   web/build.sh && python3 -m http.server -d web/dist 8000    # then open http://localhost:8000
#
# Needs the wasm target (`rustup target add wasm32-unknown-unknown`). Env: CARGO_TARGET_DIR
# (where cargo builds the engine; default target/wasm at the repository's root, ignored by git).
set -euo pipefail
web="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$web")"
dist="$web/dist"

target_dir="${CARGO_TARGET_DIR:-$root/target/wasm}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
# WebAssembly's 128-bit SIMD (every current browser has it): the crate's batch loops run two
# lanes at a time, ~7% faster on the baseline (benches/wasm_engine.mjs); same numbers.
(cd "$web/engine" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  CARGO_TARGET_DIR="$target_dir" cargo build --release --target wasm32-unknown-unknown --quiet)

rm -rf "$dist"
mkdir -p "$dist/scenarios"
cp "$target_dir/wasm32-unknown-unknown/release/diffusion_sim_web.wasm" "$dist/engine.wasm"
cp "$web/site/index.html" "$web/site/app.js" "$web/site/worker.js" "$web/site/style.css" "$dist/"
cp "$root"/scenarios/*.toml "$dist/scenarios/"

# The index: each file with its [scenario] name (the first `name = "..."` after [scenario]).
{
  echo '['
  first=1
  for f in "$root"/scenarios/*.toml; do
    name="$(awk '/^\[scenario\]/{s=1; next} /^\[/{s=0} s && /^name *=/{sub(/^name *= *"/, ""); sub(/" *(#.*)?$/, ""); print; exit}' "$f")"
    [ "$first" = 1 ] || echo ','
    first=0
    printf '  {"file": "%s", "name": "%s"}' "$(basename "$f")" "${name//\"/\\\"}"
  done
  echo
  echo ']'
} > "$dist/scenarios/index.json"
echo "web/dist: $(du -sh "$dist" | cut -f1), engine.wasm $(du -h "$dist/engine.wasm" | cut -f1)"
