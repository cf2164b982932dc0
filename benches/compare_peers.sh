#!/usr/bin/env bash
# Speed and agreement against the numpy peer of bench-v1, on this machine, in one go.
#
# usage: benches/compare_peers.sh [N] [--no-compare] [--no-peer] [--bin PATH] [--also-compare-py]
#
#   N              samples for both tools (default 1000000; 1e6 is accepted)
#   --bin PATH     time this diffusion-sim binary instead of building target/release/
#   --no-compare   time both tools only; skip the statistical comparison
#   --no-peer      run our tool only (no Python needed); compare against the stored
#                  reference output of the numpy peer (N = 1e6) unless --no-compare
#   --also-compare-py  also run the peers' original compare.py (pure Monte Carlo tolerance,
#                  no allowance for our binning; informational, it does not set the verdict)
#
# What it does:
#   1. builds our release binary (cargo build --release);
#   2. installs the numpy peer's dependency (numpy==2.4.6, as in the peers' README) into a
#      venv in benches/.peers/ (git-ignored), reusing it when it is already there; when python3
#      is missing or the install fails, the peer is skipped with a message;
#   3. copies the peer scripts it needs (bench_numpy.py, _bench_core.py, and compare.py with
#      --also-compare-py) from $PEERS_DIR (default ../shared/peers) into benches/.peers/;
#   4. runs our tool on scenarios/bench.toml (--no-charts --quiet, all cores, seed 1 from the
#      scenario) and the numpy peer at the same N (seed $PEER_SEED, default 2), timing each whole
#      process with /usr/bin/time (bash's time when it is missing);
#   5. prints samples per second for each and the ratio;
#   6. converts our output with benches/peer_json.py and checks agreement with
#      benches/agreement.py (a port of the peers' compare.py whose tolerance is 4 Monte Carlo
#      standard errors plus our stated resolution: 0.005 y for year quantiles, 0.004 in ln for
#      cost/budget quantiles; see its header), printing its report and verdict.
# Outputs of a run at N go to benches/.peers/out/n<N>/ (ours/, numpy.json, agreement.md, ...).
#
# Exit status: 0 when everything that ran passed (a skipped peer is not a failure), 1 when
# agreement.py finds a disagreement beyond its tolerance, 2 on bad usage or a failed step.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
peers_src=${PEERS_DIR:-$root/../shared/peers}
work=$here/.peers
peer_seed=${PEER_SEED:-2}
numpy_spec="numpy==2.4.6"

say() { printf '%s\n' "$*" >&2; }
die() { say "compare_peers.sh: error: $*"; exit 2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

n_arg=""
do_compare=1
do_peer=1
bin=""
also_compare_py=0
while [ $# -gt 0 ]; do
  case $1 in
    --no-compare) do_compare=0 ;;
    --no-peer) do_peer=0 ;;
    --also-compare-py) also_compare_py=1 ;;
    --bin) [ $# -ge 2 ] || die "--bin needs a path"; bin=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -z "$n_arg" ] || die "more than one N given ('$n_arg' and '$1')"; n_arg=$1 ;;
  esac
  shift
done
n_arg=${n_arg:-1000000}
# N as a plain integer: 1000000, 1_000_000 or 1e6.
n_clean=${n_arg//_/}
if [[ $n_clean =~ ^[0-9]+$ ]]; then
  n=$((10#$n_clean))
elif [[ $n_clean =~ ^[0-9]+(\.[0-9]+)?[eE][0-9]+$ ]]; then
  n=$(awk -v x="$n_clean" 'BEGIN { printf "%.0f", x }')
else
  die "N must be a whole number such as 1000000 or 1e6, not '$n_arg'"
fi
[ "$n" -ge 1 ] || die "N must be at least 1"

# Whole-process wall time (seconds) and peak RSS (KB, when /usr/bin/time is there) of a command
# whose stdout goes to $1 and stderr to $2. Sets $wall and $rss.
timed() {
  local stdout=$1 stderr=$2; shift 2
  local tfile; tfile=$(mktemp)
  local status=0
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %M' -o "$tfile" "$@" >"$stdout" 2>"$stderr" || status=$?
    read -r wall rss <"$tfile"
  else
    local TIMEFORMAT='%3R'
    { time "$@" >"$stdout" 2>"$stderr" || status=$?; } 2>"$tfile"
    wall=$(tail -n 1 "$tfile"); rss=""
  fi
  rm -f "$tfile"
  return "$status"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }'; }
mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf ", peak %.0f MiB", k / 1024 }' || true; }

out=$work/out/n$n
mkdir -p "$out"

# 1. Our release binary.
if [ -n "$bin" ]; then
  [ -x "$bin" ] || die "--bin $bin is not an executable file"
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  say "== using the given binary $bin (not building)"
else
  command -v cargo >/dev/null 2>&1 || die "cargo is not installed (see https://rustup.rs)"
  say "== building diffusion-sim (release)"
  (cd "$root" && cargo build --release --quiet) || die "cargo build --release failed"
  bin=$root/target/release/diffusion-sim
  [ -x "$bin" ] || die "no binary at $bin after the build"
fi

# 2-3. The numpy peer: a venv with numpy, and the scripts it needs.
py=""
if command -v python3 >/dev/null 2>&1; then
  py=$(command -v python3)
fi
peer_ok=0
if [ "$do_peer" = 0 ]; then
  say "== numpy peer: not run (--no-peer)"
else
  if [ -z "$py" ]; then
    say "== skipping the numpy peer: python3 is not installed"
  elif [ ! -f "$peers_src/bench_numpy.py" ] || [ ! -f "$peers_src/_bench_core.py" ]; then
    say "== skipping the numpy peer: no bench_numpy.py/_bench_core.py in $peers_src (set PEERS_DIR)"
  else
    venv=$work/venv
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c \
         'import sys, numpy; sys.exit(numpy.__version__ != "2.4.6")' 2>/dev/null; then
      say "== numpy peer: reusing $venv (numpy 2.4.6)"
      peer_ok=1
    else
      say "== numpy peer: installing $numpy_spec into $venv"
      if "$py" -m venv "$venv" >"$work/install.log" 2>&1 \
         && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$numpy_spec" \
              >>"$work/install.log" 2>&1; then
        peer_ok=1
      else
        say "== skipping the numpy peer: could not install $numpy_spec (log: $work/install.log)"
        tail -n 5 "$work/install.log" | sed 's/^/   | /' >&2 || true
      fi
    fi
    if [ "$peer_ok" = 1 ]; then
      py=$venv/bin/python
      cp "$peers_src/bench_numpy.py" "$peers_src/_bench_core.py" "$work/"
    fi
  fi
fi
if [ "$do_compare" = 1 ] && [ -n "$py" ] && [ "$also_compare_py" = 1 ]; then
  if [ -f "$peers_src/compare.py" ]; then
    cp "$peers_src/compare.py" "$work/"
  elif [ ! -f "$work/compare.py" ]; then
    say "== not running compare.py: no compare.py in $peers_src (set PEERS_DIR)"
    also_compare_py=0
  fi
fi

threads=$(nproc 2>/dev/null || echo "?")
say "== machine: $threads cores, $(uname -srm)"

# 4. Our tool.
say "== diffusion-sim: scenarios/bench.toml, N = $n, seed 1, all cores, no charts"
timed "$out/ours.stdout" "$out/ours.stderr" \
    "$bin" run "$root/scenarios/bench.toml" --samples "$n" --no-charts --quiet --out "$out/ours" \
  || { cat "$out/ours.stderr" >&2; die "diffusion-sim run failed"; }
ours_wall=$wall ours_rss=$rss
ours_rate=$(rate "$n" "$ours_wall")

# 4. The numpy peer.
if [ "$peer_ok" = 1 ]; then
  say "== numpy peer: bench_numpy.py $n $peer_seed"
  timed "$out/numpy.json" "$out/numpy.stderr" "$py" "$work/bench_numpy.py" "$n" "$peer_seed" \
    || { cat "$out/numpy.stderr" >&2; die "the numpy peer failed"; }
  peer_wall=$wall peer_rss=$rss
  peer_rate=$(rate "$n" "$peer_wall")
fi

# 5. Speed.
echo
echo "bench-v1, N = $n, whole-process wall time ($threads cores)"
printf '  %-14s %9.2f s  %12s samples/s%s\n' "diffusion-sim" "$ours_wall" "$ours_rate" "$(mib "$ours_rss")"
if [ "$peer_ok" = 1 ]; then
  printf '  %-14s %9.2f s  %12s samples/s%s\n' "numpy peer" "$peer_wall" "$peer_rate" "$(mib "$peer_rss")"
  echo "  ratio: diffusion-sim is $(awk -v a="$peer_wall" -v b="$ours_wall" \
      'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')x faster than the numpy peer"
  sed 's/^/  peer: /' "$out/numpy.stderr"
else
  echo "  numpy peer: skipped (see the messages above)"
fi

# 6. Agreement.
if [ "$do_compare" = 0 ]; then
  echo; echo "comparison: skipped"; exit 0
fi
if [ -z "$py" ]; then
  echo; echo "comparison: skipped (python3 is not installed)"; exit 0
fi
if [ "$peer_ok" = 1 ]; then
  theirs=$out/numpy.json
else
  theirs=$peers_src/reference/numpy_n1e6_seed1.json
  if [ ! -f "$theirs" ]; then
    echo; echo "comparison: skipped (no peer run and no stored reference at $theirs)"; exit 0
  fi
  say "== comparing against the stored numpy reference $theirs instead of a fresh run"
fi
"$py" "$here/peer_json.py" "$out/ours" -o "$out/ours.json" || die "peer_json.py failed"
echo
echo "agreement.py: ours (N = $n, seed 1) vs $(basename "$theirs")"
echo "  (tolerance: 4 Monte Carlo SE, plus 0.005 y for year quantiles and 0.004 in ln for cost/budget quantiles)"
if [ "$also_compare_py" = 1 ]; then
  cstatus=0
  "$py" "$work/compare.py" "$out/ours.json" "$theirs" --z 4 --out "$out/compare.md" >/dev/null || cstatus=$?
  echo "  compare.py (the peers' original, Monte Carlo error only) exited $cstatus; report: $out/compare.md"
fi
status=0
"$py" "$here/agreement.py" "$out/ours.json" "$theirs" --z 4 --out "$out/agreement.md" >/dev/null \
  || status=$?
sed 's/^/  /' "$out/agreement.md"
case $status in
  0) echo "verdict: AGREE (every statistic within its tolerance; report: $out/agreement.md)" ;;
  1) echo "verdict: DISAGREE (entries listed above are beyond tolerance; report: $out/agreement.md)"; exit 1 ;;
  *) die "agreement.py failed (exit $status)" ;;
esac
