#!/usr/bin/env bash
# The browser tests: report.html in Debian's Chromium, headless, network closed.
# Installs chromium if missing (Debian 12, as root), installs playwright-core with `npm ci`,
# makes a small baseline run with --html (5,000 samples, seed 1, the sensitivity analysis of
# one target) into out/report-test/, then runs node's test runner on web/tests/.
# Screenshots land in out/screenshots/. Env: DIFFUSION_SIM (a built binary to use instead of
# `cargo build`), CHROMIUM (another Chromium binary).
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
"$bin" run scenarios/baseline.toml --samples 5000 --seed 1 --quiet --no-charts --html \
  --sensitivity --target "Grok-3 level" --out out/report-test > /dev/null

cd web
REPORT_DIR=out/report-test node --test tests/
