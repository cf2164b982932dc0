#!/usr/bin/env bash
# How the cost of a run grows with actor classes, targets and reporting years (issue #19).
#
# usage: benches/scaling.sh --bin PATH [--grid "CxTxY ..."] [--no-baseline] [--reps R]
#                           [--n1 N] [--wall-budget I] [--keep]
#        benches/scaling.sh --bin PATH --memory [--mem-ns "1e4 1e5 1e6 1e7"] [--mem-threads 2]
#
#   --bin PATH       the diffusion-sim binary to measure (required; nothing is built)
#   --grid "..."     the (classes x targets x years) points, default
#                    "7x3x36 14x3x36 28x3x36 7x10x36 7x30x36 7x3x100 30x30x100"
#                    (7x3x36 is bench-v1 itself; the others vary one factor, plus the corner)
#   --no-baseline    leave out the row for scenarios/baseline.toml (measured as it is)
#   --reps R         wall-time runs per scenario (default 3), interleaved: round 1 runs every
#                    scenario once, then round 2, ...; the table gives the median
#   --n1 N           the smaller callgrind sample count, N1 (default 8192; N2 = 2*N1), the same
#                    for every scenario (see Ir/sample)
#   --wall-budget I  instructions aimed at for each timed run (default 2e10, a few seconds)
#   --keep           keep the work directory (scenarios, callgrind files, raw timings)
#   --memory         instead: peak RSS of bench-v1 at each N of --mem-ns on --mem-threads threads
#
# Needs valgrind (callgrind), /usr/bin/time (GNU), awk. Run it under `nice -n 19` on a shared
# machine; instruction counts do not move with load, times do (the header records the load).
#
# SCENARIOS. Generated from scenarios/bench.toml into a temp dir (never into the repo):
#   - classes C: bench's 7, plus C-7 copies of its own-budget classes (cycling through them:
#     growth kept, name "<class>_x<i>", budget "10^a to 10^(a+1)" dollars with a spread evenly
#     over 2..8, i.e. over bench's budget range $100 .. $1B);
#   - targets T: bench's 3, plus T-3 more in bench's mix (one third frontier-of-year): round(T/3)-1
#     frontier-of-year targets, years spread over 2026..2059, and the rest fixed-FLOP targets
#     "fixed_<k>" with FLOP spread evenly in log over 1e22..1e30;
#   - years Y: end_year = 2025 + Y - 1 with bench's report_step = 1 (whole reporting years; the
#     horizon grows, the regimes and caps are bench's).
#   Each file is checked with `BIN validate`, whose counts fill the C, T, Y columns.
#
# COLUMNS.
#   units        work units = T*C + (T + C + 3)*Y: the (target, class) time histograms plus the
#                value histograms per reporting year (cost of each target, budget of each class,
#                S, P, A). The baseline also prices staff and per-class costs, which units omit.
#   Ir/sample    marginal instructions per sample, (Ir(N2) - Ir(N1)) / (N2 - N1), from
#                `valgrind --tool=callgrind`, --threads 1, whole process. It falls slowly as N
#                grows (histograms that widen, merges and quantile scans cost a little more at a
#                larger N, but far less than in proportion), so rows are compared at the same N1.
#   fixed MIr    Ir(N1) - N1 * marginal, millions: start-up, sizing pilot, allocation, outputs
#   Ir/unit      Ir/sample / units, and the same relative to bench-v1 (x): flat = linear
#   N wall       samples of each timed run, --threads 1 (about --wall-budget instructions)
#   wall us      median wall time of the --reps runs / N wall, microseconds per sample
#   cpu us       the same for user + system CPU time
#   ns/kIr       median CPU time / (fixed + N wall * marginal) instructions: nanoseconds per
#                1,000 instructions. It rises where the run waits on memory, but also where the
#                mix of work moves towards kinds that take more time an instruction anyway
#                (counting into histograms), so read it with the next columns.
#   ns/unit      median CPU time / N wall / units, nanoseconds a unit
#   least ns/unit  the same from the least CPU time of the --reps runs, and relative to
#                bench-v1's (x): flat = time linear in the units. Another tenant of a shared
#                machine only ever adds time, so the least run is the one it disturbed least;
#                use --reps 8 or more for this column.
#   marginal ns/unit  (CPU(N wall) - CPU(N wall / 4)) / (3/4 N wall) / units: the time a sample
#                adds, without start-up, the sizing pilot and the outputs (which ns/unit counts
#                as if they were per sample, and which are a larger share of a large scenario's
#                run). Each round times both counts one after the other and gives one marginal;
#                the column is the median of the rounds, the least in brackets, and vs bench is
#                the median's relative to bench-v1's.
#   D1, LL miss/unit  marginal data misses a sample (reads + writes, between N1 and N2) per
#                unit in callgrind's simulated caches, CACHES below: the same on any machine and
#                under any load. LL stands for a core's own 1 MiB L2 (the machine's 32 MiB L3,
#                shared, is not simulated); vs bench is the LL figure relative to bench-v1's.
#                Misses a unit that rise with the scenario's size show where it outgrows the
#                caches; ns/unit shows whether that costs time (a cache cliff).
#   CACHES       --D1=32768,8,64 --LL=1048576,8,64: an AMD Zen 4 core's L1 data cache and L2.
#   RSS MB       peak resident set of the timed runs (max over the reps), /usr/bin/time %M
#
# LINEAR IN THE WORK? A second table fits marginal ns a sample = a + b * pairs + c * values
# (pairs = T*C, values = (T + C + 3)*Y) by least squares on every grid point but the largest
# (with 5 or more points), and gives each point's time against the fit. The largest point's
# ratio is the cliff: how much more it costs than the work the smaller points predict. When
# the fitted points cannot tell pairs from values (a grid that varies the classes only makes
# values a straight line in pairs), it says so and fits nothing.
#
# Prints the markdown table on stdout; progress on stderr.
set -euo pipefail

die() { echo "scaling.sh: $*" >&2; exit 2; }
log() { echo "scaling.sh: $*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bench_toml=$root/scenarios/bench.toml
baseline_toml=$root/scenarios/baseline.toml

bin="" grid="7x3x36 14x3x36 28x3x36 7x10x36 7x30x36 7x3x100 30x30x100"
baseline=1 reps=3 n1=8192 wall_budget=2e10 keep=0 memory=0
mem_ns="1e4 1e5 1e6 1e7" mem_threads=2
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=${2:?--bin needs a path}; shift 2 ;;
    --grid) grid=${2:?--grid needs a list}; shift 2 ;;
    --no-baseline) baseline=0; shift ;;
    --reps) reps=${2:?}; shift 2 ;;
    --n1) n1=${2:?}; shift 2 ;;
    --wall-budget) wall_budget=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    --memory) memory=1; shift ;;
    --mem-ns) mem_ns=${2:?}; shift 2 ;;
    --mem-threads) mem_threads=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$bin" ] || die "--bin PATH is required"
[ -x "$bin" ] || die "not an executable: $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x /usr/bin/time ] || die "GNU /usr/bin/time is needed (apt-get install time)"
[ -f "$bench_toml" ] || die "missing $bench_toml"
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
[[ $n1 =~ ^[1-9][0-9]*$ ]] || die "--n1 must be a positive integer"
n2=$((2 * n1))
caches="--D1=32768,8,64 --LL=1048576,8,64"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

work=$(mktemp -d "${TMPDIR:-/tmp}/scaling.XXXXXX")
if [ $keep = 1 ]; then log "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi

# calc EXPR: floating-point arithmetic with awk
calc() { awk "BEGIN { print $1 }"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

header() {
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- CPU (\`lscpu\`): $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs"
  echo "- binary: \`$bin\` (sha256 $(sha256sum "$bin" | cut -c1-12))"
  echo "- load average (1, 5, 15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# timed OUTFILE ARGS...: run the binary under /usr/bin/time, append "wall cpu rss_kb" to OUTFILE
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$bin" "$@" </dev/null >/dev/null 2>"$work/stderr.txt" \
    || { cat "$work/stderr.txt" >&2; die "failed: $bin $*"; }
  awk '{ print $1, $2 + $3, $4 }' "$work/time.txt" >> "$out"
}

if [ $memory = 1 ]; then
  log "memory mode: bench-v1 at N = $mem_ns on $mem_threads threads"
  rows=""
  for n in $mem_ns; do
    log "  N = $n"
    rm -f "$work/mem.txt"
    timed "$work/mem.txt" run "$bench_toml" --samples "$n" --threads "$mem_threads" \
      --no-charts --quiet --out "$work/out-mem"
    read -r w c k < "$work/mem.txt"
    rows+=$(printf '| %s | %.2f | %.2f | %.1f |' "$n" "$w" "$c" "$(calc "$k / 1024")")$'\n'
  done
  echo "## Peak memory of bench-v1 by sample count"
  echo
  header
  echo "- command: \`benches/scaling.sh --bin $bin --memory --mem-ns \"$mem_ns\" --mem-threads $mem_threads\`"
  echo "  (each: \`run scenarios/bench.toml --samples N --threads $mem_threads --no-charts --quiet\`, once)"
  echo
  echo "| N | wall s | cpu s | peak RSS MB |"
  echo "| ---: | ---: | ---: | ---: |"
  printf '%s' "$rows"
  exit 0
fi

command -v valgrind >/dev/null || die "valgrind is needed (apt-get install valgrind)"

# gen C T Y FILE: bench.toml with C classes, T targets, Y reporting years (see the header)
gen() {
  local c=$1 t=$2 y=$3 f=$4
  [ "$c" -ge 7 ] && [ "$t" -ge 3 ] && [ "$y" -ge 36 ] || die "grid point ${c}x${t}x${y}: need C >= 7, T >= 3, Y >= 36"
  sed -e "s/^end_year *=.*/end_year = $((2025 + y - 1)).0/" "$bench_toml" > "$f"
  # bench's own-budget classes: "name<TAB>growth" (budget = "frontier" is skipped)
  awk '/^\[\[actor\]\]/ { a = 1; n = ""; b = ""; g = ""; next }
       /^\[/ { a = 0 }
       a && /^name *=/ { n = $0; sub(/^name *= *"/, "", n); sub(/".*/, "", n) }
       a && /^budget *=/ { b = $0 }
       a && /^growth_per_year *=/ { g = $0; sub(/ *#.*/, "", g); if (b !~ /"frontier"/) print n "\t" g }' \
    "$bench_toml" > "$work/templates.tsv"
  local nt; nt=$(wc -l < "$work/templates.tsv")
  [ "$nt" -gt 0 ] || die "found no own-budget actor classes in $bench_toml"
  awk -v extra=$((c - 7)) -v nt="$nt" -F'\t' '
    { name[NR - 1] = $1; growth[NR - 1] = $2 }
    END { for (i = 1; i <= extra; i++) {
            a = (extra > 1) ? 2 + 6 * (i - 1) / (extra - 1) : 5
            printf "\n[[actor]]\nname = \"%s_x%d\"\nbudget = \"%.4g to %.4g\"\n%s\n",
                   name[(i - 1) % nt], i, 10 ^ a, 10 ^ (a + 1), growth[(i - 1) % nt] } }' \
    "$work/templates.tsv" >> "$f"
  local nfr=$(( (t + 1) / 3 - 1 )); local nfix=$(( t - 3 - nfr ))
  awk -v nfr=$nfr -v nfix=$nfix 'BEGIN {
      used[2030] = 1
      for (k = 1; k <= nfr; k++) {
        yr = int(2026 + 33 * (k - 0.5) / nfr + 0.5)
        while (yr in used) yr++
        used[yr] = 1
        printf "\n[[target]]\nname = \"frontier_%d\"\nfrontier_year = %d\n", yr, yr }
      for (k = 1; k <= nfix; k++) {
        e = (nfix > 1) ? 22 + 8 * (k - 1) / (nfix - 1) : 26
        printf "\n[[target]]\nname = \"fixed_%d\"\nflop = %.4e\n", k, 10 ^ e } }' >> "$f"
}

# scenarios: "label<TAB>file" per line
: > "$work/scenarios.tsv"
for p in $grid; do
  [[ $p =~ ^([0-9]+)x([0-9]+)x([0-9]+)$ ]] || die "bad grid point '$p' (want CxTxY, e.g. 7x3x36)"
  c=${BASH_REMATCH[1]} t=${BASH_REMATCH[2]} y=${BASH_REMATCH[3]}
  f=$work/scaling-${c}x${t}x${y}.toml
  gen "$c" "$t" "$y" "$f"
  label="${c}x${t}x${y}"; [ "$p" = 7x3x36 ] && label="bench-v1 (7x3x36)"
  printf '%s\t%s\n' "$label" "$f" >> "$work/scenarios.tsv"
done
[ $baseline = 1 ] && printf '%s\t%s\n' "baseline.toml" "$baseline_toml" >> "$work/scenarios.tsv"

# counts from `validate`: "C T Y"
counts() {
  local v; v=$("$bin" validate "$1" 2>&1 </dev/null) || { echo "$v" >&2; die "validate failed for $1"; }
  local c t y
  c=$(grep -m1 -o 'actor classes ([0-9]*)' <<<"$v" | grep -o '[0-9]*')
  t=$(grep -m1 -o '^targets ([0-9]*)' <<<"$v" | grep -o '[0-9]*')
  y=$(grep -m1 -o '[0-9]* reporting years' <<<"$v" | grep -o '^[0-9]*')
  [ -n "$c" ] && [ -n "$t" ] && [ -n "$y" ] || die "could not read the counts from validate for $1"
  echo "$c $t $y"
}

# ir FILE N: "Ir D1 LL" of a 1-thread run under callgrind: whole-process instructions, and the
# data misses of its simulated caches (D1 and LL, reads and writes; see CACHES)
ir() {
  local cg=$work/cg.$RANDOM.out
  valgrind --tool=callgrind --cache-sim=yes $caches --callgrind-out-file="$cg" "$bin" run "$1" \
    --samples "$2" --threads 1 --no-charts --quiet --out "$work/out-cg" </dev/null >/dev/null \
    2>"$work/stderr.txt" || { tail -20 "$work/stderr.txt" >&2; die "callgrind run failed: $1 at N=$2"; }
  local v
  v=$(awk '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i - 1 }
           /^summary:/ { print $(col["Ir"] + 1), $(col["D1mr"] + 1) + $(col["D1mw"] + 1),
                              $(col["DLmr"] + 1) + $(col["DLmw"] + 1) }' "$cg")
  [[ $v =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]] || die "no instruction or miss totals in $cg"
  echo "$v"
  [ $keep = 1 ] || rm -f "$cg"
}

# 1. instructions (callgrind), one scenario after another
: > "$work/cg.tsv"
while IFS=$'\t' read -r label f; do
  cnt=$(counts "$f"); read -r c t y <<<"$cnt"
  log "callgrind: $label (C=$c T=$t Y=$y)"
  read -r i1 d1 l1 <<<"$(ir "$f" $n1)"; read -r i2 d2 l2 <<<"$(ir "$f" $n2)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$f" "$c" "$t" "$y" "$i1" "$i2" \
    "$d1" "$d2" "$l1" "$l2" >> "$work/cg.tsv"
done < "$work/scenarios.tsv"

# 2. wall time, interleaved: round r runs every scenario once
for r in $(seq 1 "$reps"); do
  k=0
  while IFS=$'\t' read -r label f c t y i1 i2 _; do
    k=$((k + 1))
    nw=$(awk -v b="$wall_budget" -v m="$(calc "($i2 - $i1) / ($n2 - $n1)")" -v n2=$n2 \
      'BEGIN { n = 1024 * int(b / m / 1024 + 0.5); print (n < 2 * n2) ? 2 * n2 : n }')
    echo "$nw" > "$work/nwall.$k"
    log "wall, round $r/$reps: $label at N=$nw and N=$((nw / 4))"
    timed "$work/wall.$k" run "$f" --samples "$nw" --threads 1 --no-charts --quiet --out "$work/out-wall"
    timed "$work/quarter.$k" run "$f" --samples "$((nw / 4))" --threads 1 --no-charts --quiet \
      --out "$work/out-wall"
  done < "$work/cg.tsv"
done

# 3. the table
echo "## Cost by actor classes x targets x reporting years"
echo
header
echo "- command: \`benches/scaling.sh --bin $bin --grid \"$grid\"$([ $baseline = 1 ] || echo ' --no-baseline') --reps $reps --n1 $n1 --wall-budget $wall_budget\`"
echo
echo "| scenario | C | T | Y | units | Ir/sample | fixed MIr | Ir/unit | vs bench | N wall | wall us | cpu us | ns/kIr | ns/unit | least ns/unit | vs bench | marginal ns/unit (least) | vs bench | D1 miss/unit | LL miss/unit | vs bench | RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
k=0; ref=""; ref_ns=""; ref_ll=""; : > "$work/fit.tsv"
while IFS=$'\t' read -r label f c t y i1 i2 d1 d2 l1 l2; do
  k=$((k + 1))
  nw=$(cat "$work/nwall.$k")
  wall=$(awk '{ print $1 }' "$work/wall.$k" | median)
  cpu=$(awk '{ print $2 }' "$work/wall.$k" | median)
  least=$(awk '{ print $2 }' "$work/wall.$k" | sort -g | head -1)
  # marginal CPU a sample, round by round: (cpu(N) - cpu(N/4)) / (N - N/4)
  marg=$(paste -d' ' "$work/wall.$k" "$work/quarter.$k" \
    | awk -v n="$nw" -v q="$((nw / 4))" '{ print ($2 - $5) / (n - q) }' | sort -g)
  marg_med=$(median <<<"$marg")
  marg_least=$(head -1 <<<"$marg")
  rss=$(awk '{ if ($3 > m) m = $3 } END { print m }' "$work/wall.$k")
  units=$((t * c + (t + c + 3) * y))
  per_unit=$(calc "($i2 - $i1) / ($n2 - $n1) / $units")
  ns_unit=$(calc "1e9 * $least / $nw / $units")
  ll_unit=$(calc "($l2 - $l1) / ($n2 - $n1) / $units")
  mg_unit=$(calc "1e9 * $marg_med / $units")
  [ "$label" = baseline.toml ] || printf '%s\t%s\t%s\t%s\n' "$label" "$((t * c))" \
    "$(((t + c + 3) * y))" "$(calc "1e9 * $marg_med")" >> "$work/fit.tsv"
  [ -n "$ref" ] || { ref=$per_unit; ref_ns=$ns_unit; ref_ll=$ll_unit; ref_mg=$mg_unit; }
  awk -v label="$label" -v c="$c" -v t="$t" -v y="$y" -v u="$units" -v n1="$n1" \
      -v i1="$i1" -v n2="$n2" -v i2="$i2" -v nw="$nw" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" \
      -v d1="$d1" -v d2="$d2" -v l1="$l1" -v l2="$l2" -v least="$least" \
      -v ref="$ref" -v ref_ns="$ref_ns" -v ref_ll="$ref_ll" -v ref_mg="$ref_mg" \
      -v mmed="$marg_med" -v mleast="$marg_least" 'BEGIN {
    m = (i2 - i1) / (n2 - n1); fixed = i1 - n1 * m
    ns = 1e9 * cpu / nw / u; nl = 1e9 * least / nw / u; dm = (d2 - d1) / (n2 - n1) / u; lm = (l2 - l1) / (n2 - n1) / u
    mg = 1e9 * mmed / u
    printf "| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f | %.2f | %d | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f (%.2f) | %.2f | %.2f | %.3f | %.2f | %.1f |\n",
      label, c, t, y, u, m, fixed / 1e6, m / u,
      (m / u) / ref, nw, 1e6 * wall / nw, 1e6 * cpu / nw, 1e12 * cpu / (fixed + nw * m),
      ns, nl, nl / ref_ns, mg, 1e9 * mleast / u, mg / ref_mg, dm, lm, lm / ref_ll, rss / 1024 }'
done < "$work/cg.tsv"
echo
echo "Ir: instructions (callgrind, --threads 1, N1 = $n1, N2 = $n2). vs bench: relative to the first row."
echo "ns/unit: CPU time a sample per unit (median and least of the $reps runs; vs bench: the least's)."
echo "marginal ns/unit: (CPU(N wall) - CPU(N wall / 4)) / (3/4 N wall) per unit, round by round; the"
echo "median of the $reps rounds (least in brackets; vs bench: the median's). Fixed costs drop out."
echo "D1 and LL miss/unit: marginal data misses (reads and"
echo "writes) a sample per unit in callgrind's simulated caches ($caches)."

# 4. linear in the work? Fit marginal ns a sample = a + b * pairs + c * values by least squares
# on every grid point but the largest, and compare the largest with what the fit predicts.
if [ "$(wc -l < "$work/fit.tsv")" -ge 5 ]; then
  echo
  echo "### Linear in the work?"
  echo
  awk -F'\t' '
    { n++; lab[n] = $1; p[n] = $2; v[n] = $3; t[n] = $4; u = $2 + $3
      if (u > best) { best = u; big = n } }
    END {
      for (i = 1; i <= n; i++) if (i != big) {
        x[0] = 1; x[1] = p[i]; x[2] = v[i]
        for (r = 0; r < 3; r++) { B[r] += x[r] * t[i]; for (s = 0; s < 3; s++) A[r, s] += x[r] * x[s] } }
      # The points must tell the three terms apart: the determinant of the normal matrix against
      # the product of its diagonal (1 for independent columns, 0 for dependent ones).
      det = A[0, 0] * (A[1, 1] * A[2, 2] - A[1, 2] * A[2, 1]) - A[0, 1] * (A[1, 0] * A[2, 2] - A[1, 2] * A[2, 0]) + A[0, 2] * (A[1, 0] * A[2, 1] - A[1, 1] * A[2, 0])
      if (det / (A[0, 0] * A[1, 1] * A[2, 2]) < 1e-6) {
        print "The fitted points do not tell pairs from values apart (vary targets and years as well as classes): no fit."
        exit
      }
      for (i = 0; i < 3; i++) {            # Gauss-Jordan with partial pivoting
        m = i; for (r = i + 1; r < 3; r++) if ((A[r, i] < 0 ? -A[r, i] : A[r, i]) > (A[m, i] < 0 ? -A[m, i] : A[m, i])) m = r
        for (s = 0; s < 3; s++) { h = A[i, s]; A[i, s] = A[m, s]; A[m, s] = h }; h = B[i]; B[i] = B[m]; B[m] = h
        for (r = 0; r < 3; r++) if (r != i) { f = A[r, i] / A[i, i]; for (s = 0; s < 3; s++) A[r, s] -= f * A[i, s]; B[r] -= f * B[i] } }
      for (i = 0; i < 3; i++) c[i] = B[i] / A[i, i]
      printf "Fitted on every point but %s: %.0f ns a sample + %.3f ns a (target, class) pair + %.3f ns a value (a series at a reporting year). Pairs cost about %.0f values each, so ns/unit above, which counts both alike, rises with the share of pairs; the ratio below does not.\n\n", lab[big], c[0], c[1], c[2], c[1] / c[2]
      print "| scenario | pairs | values | marginal ns a sample | fit | ratio |"
      print "| --- | ---: | ---: | ---: | ---: | ---: |"
      for (i = 1; i <= n; i++) {
        f = c[0] + c[1] * p[i] + c[2] * v[i]
        printf "| %s%s | %d | %d | %.0f | %.0f | %.2f |\n", lab[i], (i == big ? " (not fitted)" : ""), p[i], v[i], t[i], f, t[i] / f }
    }' "$work/fit.tsv"
fi
