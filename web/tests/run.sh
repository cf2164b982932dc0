#!/usr/bin/env bash
# The browser tests, in Debian's Chromium, headless, network closed: report.html, and the
# playground (web/dist, built here by web/build.sh).
# Installs chromium if missing (Debian 12, as root), installs playwright-core with `npm ci`,
# makes a small baseline run with --html (5,000 samples, seed 1, the sensitivity analysis of
# one target) into out/report-test/, builds the playground, then runs node's test runner on
# web/tests/. Screenshots land in out/screenshots/. Env: DIFFUSION_SIM (a built binary to use
# instead of `cargo build`), CHROMIUM (another Chromium binary), CARGO_TARGET_DIR (as for cargo;
# the engine builds in target/wasm unless it is set).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
(cd web && npm ci --no-audit --no-fund --loglevel=error)

bin="${DIFFUSION_SIM:-}"
if [ -z "$bin" ]; then
  cargo build --quiet
  bin="${CARGO_TARGET_DIR:-target}/debug/diffusion-sim"
fi
bin="$(realpath "$bin")"
"$bin" run scenarios/baseline.toml --samples 5000 --seed 1 --quiet --no-charts --html \
  --sensitivity --target "Grok-3 level" --out out/report-test > /dev/null

# The playground needs the wasm target (rustup fetches it once); without it the test fails
# rather than pass unseen.
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
start=$SECONDS
web/build.sh
echo "web/build.sh: $((SECONDS - start)) s"
tests=(tests/report.test.mjs tests/engine.test.mjs tests/playground.test.mjs)

cd web
# One file at a time, so that the playground's engine timing is not shared with the report test.
REPORT_DIR=out/report-test DIFFUSION_SIM="$bin" node --test --test-concurrency=1 "${tests[@]}"
