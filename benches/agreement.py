#!/usr/bin/env python3
"""Agreement of bench-v1 outputs (the peers' JSON schema): diffusion-sim against a peer.

usage: agreement.py A.json B.json [C.json ...] [--z 4] [--out report.md] [--analytic]
                    [--binned NAME ...] [--year-res 0.005] [--log-res 0.004]

A port of ../shared/peers/compare.py (same structure, same statistics, same exact-match rules
for atoms) whose tolerance adds our tool's stated resolution to the Monte Carlo error.

Tolerance. Every statistic passes when |difference| <= Z * SE + resolution, with Z = 4 (--z)
and SE the combined Monte Carlo standard error of the two runs. Probabilities (P(tau <= y),
P(tau = inf)) are exact counts in every tool, so they keep compare.py's binomial rule
|diff| <= 4 SE. Quantiles of tau (years) get 0.005 y per binned file: our time histograms have
0.01 y bins and report a quantile at the bin midpoint, so it is within 0.005 y of the exact
quantile of the same samples. Quantiles of C(y) and B(y) are compared in natural log and get
0.004 per binned file (log bins 0.008 wide, midpoint). A file is "binned" when its "peer" field
is one of --binned (default: diffusion-sim); exact-quantile peers (numpy, squigglepy, Squiggle)
add no resolution, so comparing two peers reproduces compare.py's rule. The peers' monthly-grid
interpolation error is not added: it affects individual samples only where a cap starts to bind
between grid points (a fraction of a month), far below the Monte Carlo error of the statistics.

Runs should use different seeds. For every pair of files, as in compare.py:
  * P(tau <= y) and P(tau = inf), per target x actor (x year): z = diff / SE with the binomial
    SE sqrt(p(1-p)(1/N1 + 1/N2)), p pooled (robust when one side is 0 or 1).
  * quantiles of tau (compare.py checks the median; this port checks all five levels, the
    median reported as its own class), per target x actor: SE of a sample p-quantile =
    sqrt(p(1-p)/N) / f, f the density at the quantile, estimated from the average of the two
    P(tau <= y) curves between the integer years around it (the median exactly as compare.py;
    for the other levels the smaller of that and a local one-sided estimate: the slope of the
    empirical CDF from the quantile to the nearest known point at least 0.05 y away on either
    side, known points being P(tau <= y) and the other quantile levels, since in a tail the
    density changes steeply within a year and the yearly average understates the SE). Atoms, as in compare.py: a quantile
    "never" (null) must be null on both sides; a quantile at the start atom (2025.0, or 2030.0
    for frontier_2030: "affordable at once") passes when both sides sit on it, and otherwise is
    tested like any other value (the P(tau <= start) check carries the atom's mass).
  * quantiles of C(y) and B(y), per target/actor x year, in natural log (compare.py checks the
    median; this port checks all five): SE = sd sqrt(p(1-p)(1/N1 + 1/N2)) / phi(z_p), the normal
    approximation, with sd = (ln q75 - ln q25) / 1.349 for the inner three levels (for the median
    this is compare.py's 1.2533 sd / sqrt(N)) and sd = (ln q95 - ln q5) / 3.290 for the tails.

--analytic also checks each file against quantiles known in closed form (as compare.py):
  ln B_k(y) = ln B0 + (y-2025) ln g is normal for the six fixed-growth actors, the frontier's
  budget ln(m S(2025)) = ln m + ln S0 (compare.py checks ln S0 alone, which predates the frontier
  budget becoming m S and fails every current output), ln C_ten_x_gpt4(2025) = ln m + ln 2e26
  - ln P0; passes when
  |ln q_hat - ln q| <= Z sd sqrt(p(1-p)/N) / phi(z_p) + the file's log resolution.

Report: per pair, the median-tau table, then per class of statistic the count checked and the
worst case: its z (diff / SE), its z beyond the resolution ((|diff| - res) / SE, the number that
is held to Z) and its excess (|diff| - tolerance, in the statistic's unit; negative = headroom).
The last line is the verdict: "verdict: PASS ..." or "verdict: FAIL ..." (exit status 1).
Python standard library only.
"""
import argparse
import itertools
import json
import math
import sys

YEAR_RES = 0.005  # half of our 0.01 y time bins
LOG_RES = 0.004   # half of our 0.008 log bins

Z95 = 1.6448536269514722
QUANTILE_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
ZP = {0.05: -Z95, 0.25: -0.6744897501960817, 0.5: 0.0, 0.75: 0.6744897501960817, 0.95: Z95}


def load(path):
    with open(path) as f:
        return json.load(f)


def phi(z):
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def label(d):
    return f"{d['peer']} (N={d['n']}, seed={d['seed']})"


class Check:
    """The entries of one class of statistic: count, worst case, entries beyond tolerance."""

    def __init__(self, name, unit):
        self.name, self.unit = name, unit
        self.count = 0
        self.worst = None   # (z_beyond, z, excess, what)
        self.flagged = []

    def add(self, diff, se, res, zmax, what):
        """One entry: |diff| must be <= zmax * se + res. se = 0 means diff must be 0 (atoms)."""
        self.count += 1
        a = abs(diff)
        if se > 0:
            z = diff / se
            zb = max(0.0, a - res) / se
            excess = a - (zmax * se + res)
        else:
            z = 0.0 if a == 0 else math.copysign(math.inf, diff)
            zb = 0.0 if a <= res else math.inf
            excess = a - res if a > 0 else 0.0
        if self.worst is None or (zb, abs(z)) > (self.worst[0], abs(self.worst[1])):
            self.worst = (zb, z, excess, what)
        if zb > zmax:
            self.flagged.append(f"{self.name}: {what}: z = {z:.2f}, beyond resolution "
                                f"{zb:.2f}, excess {fmt_excess(excess, self.unit)}")

    def row(self, zmax):
        if self.count == 0:
            return f"| {self.name} | 0 | - | - | - | - | - |"
        zb, z, excess, what = self.worst
        status = "ok" if not self.flagged else f"FAIL ({len(self.flagged)})"
        return (f"| {self.name} | {self.count} | {what} | {z:+.2f} | {zb:.2f} | "
                f"{fmt_excess(excess, self.unit)} | {status} |")


def fmt_excess(excess, unit):
    if math.isinf(excess) or math.isnan(excess):
        return str(excess)
    if not unit:  # a probability
        return f"{excess:+.2e}"
    return f"{excess:+.4f} {unit}"


def binom_z(p1, n1, p2, n2):
    """(diff, SE) of a two-proportion test with the pooled p (robust when one side is 0 or 1)."""
    p = (p1 * n1 + p2 * n2) / (n1 + n2)
    v = p * (1 - p) * (1 / n1 + 1 / n2)
    return p1 - p2, (math.sqrt(v) if v > 0 else 0.0)


def tau_quantile(a, b, j, k, qi):
    """(diff, SE, qa, qb) of the qi-th quantile of tau; SE = 0 for an exact-match atom case."""
    ta, tb = a["tau"][j][k], b["tau"][j][k]
    p = a["quantile_levels"][qi]
    ma, mb = ta["quantiles"][qi], tb["quantiles"][qi]
    if ma is None or mb is None:
        # "never": must match exactly
        return (0.0 if ma == mb else math.inf), 0.0, ma, mb
    years = a["years"]
    start = 2030.0 if j == "frontier_2030" else 2025.0
    if ma == start or mb == start:
        # an atom at the start year: compare P(tau <= start) instead (done in the CDF check)
        if ma == mb:
            return 0.0, 0.0, ma, mb
    m = 0.5 * (ma + mb)
    y0 = max(years[0], min(years[-2], int(math.floor(m))))
    i0 = years.index(y0)
    fa = ta["p_le_year"][i0 + 1] - ta["p_le_year"][i0]
    fb = tb["p_le_year"][i0 + 1] - tb["p_le_year"][i0]
    f = 0.5 * (fa + fb)
    if p != 0.5:
        # Away from the median the density changes within a year (in a tail it falls steeply
        # towards the next year): also estimate it on each side of the quantile and keep the
        # smallest estimate (the largest SE).
        fl = [local_density(t, years, qi, start) for t in (ta, tb)]
        if None not in fl:
            f = min(f, 0.5 * (fl[0] + fl[1]))
    if f <= 0:
        return (0.0 if ma == mb else ma - mb), 0.0, ma, mb
    se = math.sqrt(p * (1 - p) / a["n"] + p * (1 - p) / b["n"]) / f
    return ma - mb, se, ma, mb


def local_density(t, years, qi, start, gap=0.05):
    """The smaller one-sided density of tau at its qi-th quantile in one run: the slope of the
    empirical CDF from the quantile (q, p) to the nearest known CDF point at least `gap` years
    away on each side. Known points: P(tau <= y) at every reporting year and the other quantile
    levels (not at the start atom or never). None when no side can be estimated."""
    levels = t["quantiles"]
    q, p = levels[qi], QUANTILE_LEVELS[qi]
    pts = list(zip(years, t["p_le_year"]))
    pts += [(v, lv) for i, (v, lv) in enumerate(zip(levels, QUANTILE_LEVELS))
            if i != qi and v is not None and v != start]
    left = [(x, F) for x, F in pts if x < q - gap]
    right = [(x, F) for x, F in pts if x > q + gap]
    out = []
    if left:
        x, F = max(left)
        out.append((p - F) / (q - x))
    if right:
        x, F = min(right)
        out.append((F - p) / (x - q))
    out = [v for v in out if v > 0]
    return min(out) if out else None


def fan_quantiles(qa, qb, na, nb):
    """[(diff in ln, SE)] for the five quantiles of one C(y) or B(y) row."""
    la = [math.log(v) for v in qa]
    lb = [math.log(v) for v in qb]
    sd_inner = 0.5 * ((la[3] - la[1]) + (lb[3] - lb[1])) / (2 * ZP[0.75])
    sd_tail = 0.5 * ((la[4] - la[0]) + (lb[4] - lb[0])) / (2 * Z95)
    out = []
    for i, p in enumerate(QUANTILE_LEVELS):
        sd = sd_tail if p in (0.05, 0.95) else sd_inner
        se = sd * math.sqrt(p * (1 - p) * (1 / na + 1 / nb)) / phi(ZP[p]) if sd > 0 else 0.0
        out.append((la[i] - lb[i], se))
    return out


def compare(a, b, args, lines):
    lines.append(f"### {label(a)} vs {label(b)}\n")
    zmax = args.z
    na, nb = a["n"], b["n"]
    yres = res_of(a, args, args.year_res) + res_of(b, args, args.year_res)
    lres = res_of(a, args, args.log_res) + res_of(b, args, args.log_res)
    lines.append(f"Tolerance: |diff| <= {zmax:g} SE + resolution; resolution {yres:g} y for tau "
                 f"quantiles, {lres:g} in ln for C(y)/B(y) quantiles, 0 for probabilities.\n")
    checks = {c.name: c for c in (
        Check("P(tau<=y)", ""), Check("P(tau=inf)", ""), Check("median tau", "y"),
        Check("tau q5/q25/q75/q95", "y"), Check("C(y) quantiles (ln)", "ln"),
        Check("B(y) quantiles (ln)", "ln"))}

    fmt = lambda v: "inf" if v is None else f"{v:.3f}"  # noqa: E731
    med_rows = []
    for j in a["targets"]:
        for k in a["actors"]:
            ta, tb = a["tau"][j][k], b["tau"][j][k]
            for yi, y in enumerate(a["years"]):
                d, se = binom_z(ta["p_le_year"][yi], na, tb["p_le_year"][yi], nb)
                checks["P(tau<=y)"].add(d, se, 0.0, zmax, f"{j}/{k}/{y} "
                                        f"({ta['p_le_year'][yi]:.6f} vs {tb['p_le_year'][yi]:.6f})")
            d, se = binom_z(ta["p_inf"], na, tb["p_inf"], nb)
            checks["P(tau=inf)"].add(d, se, 0.0, zmax, f"{j}/{k} ({ta['p_inf']:.6f} vs {tb['p_inf']:.6f})")
            for qi, p in enumerate(a["quantile_levels"]):
                d, se, ma, mb = tau_quantile(a, b, j, k, qi)
                what = f"{j}/{k} q{round(p * 100)} ({fmt(ma)} vs {fmt(mb)})"
                cls = "median tau" if p == 0.5 else "tau q5/q25/q75/q95"
                checks[cls].add(d, se, yres, zmax, what)
                if p == 0.5:
                    z = d / se if se > 0 else (0.0 if d == 0 else math.inf)
                    dd = "-" if math.isinf(d) else f"{d:+.4f}"
                    tol = "exact" if se == 0 else f"{zmax * se + yres:.4f}"
                    med_rows.append(f"| {j} | {k} | {fmt(ma)} | {fmt(mb)} | {dd} | {tol} | {z:+.2f} |")
    for j in a["targets"]:
        for yi, y in enumerate(a["years"]):
            qa, qb = a["cost_quantiles"][j][yi], b["cost_quantiles"][j][yi]
            if qa is None or qb is None:
                if (qa is None) != (qb is None):
                    checks["C(y) quantiles (ln)"].add(math.inf, 0.0, 0.0, zmax, f"{j}/{y} (exists on one side only)")
                continue
            for (d, se), p, va, vb in zip(fan_quantiles(qa, qb, na, nb), a["quantile_levels"], qa, qb):
                checks["C(y) quantiles (ln)"].add(d, se, lres, zmax, f"{j}/{y} q{round(p * 100)} ({va:.4g} vs {vb:.4g})")
    for k in a["actors"]:
        for yi, y in enumerate(a["years"]):
            qa, qb = a["budget_quantiles"][k][yi], b["budget_quantiles"][k][yi]
            for (d, se), p, va, vb in zip(fan_quantiles(qa, qb, na, nb), a["quantile_levels"], qa, qb):
                checks["B(y) quantiles (ln)"].add(d, se, lres, zmax, f"{k}/{y} q{round(p * 100)} ({va:.4g} vs {vb:.4g})")

    lines.append("| target | actor | median tau A | median tau B | diff y | tolerance y | z |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    lines.extend(med_rows)
    lines.append("")
    lines.append("| statistic | checked | worst case | z | z beyond resolution | excess | status |")
    lines.append("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    lines.extend(c.row(zmax) for c in checks.values())
    lines.append("")
    flagged = [f for c in checks.values() for f in c.flagged]
    if flagged:
        lines.append(f"Entries beyond tolerance ({len(flagged)}):\n")
        lines.extend(f"- {f}" for f in flagged)
    else:
        lines.append(f"No entry beyond tolerance (z beyond resolution <= {zmax:g}).")
    lines.append("")
    return sum(c.count for c in checks.values()), flagged


CI = {"P0": (3e17, 1e18), "S0": (1e8, 5e8), "m": (1.5, 4.0),
      "big_tech": ((1e8, 1e9), (1.2, 1.6)), "startups": ((1e6, 1e8), (1.1, 1.5)),
      "governments": ((1e7, 1e9), (1.0, 1.3)), "academic": ((1e4, 1e6), (1.0, 1.15)),
      "open_source": ((1e4, 1e6), (1.0, 1.3)), "individuals": ((1e2, 1e4), (1.0, 1.1))}


def ln_params(lo, hi):
    return 0.5 * (math.log(lo) + math.log(hi)), math.log(hi / lo) / (2 * Z95)


def analytic(d, args, lines):
    n = d["n"]
    zmax = args.z
    res = res_of(d, args, args.log_res)
    chk = Check(f"closed-form quantiles (ln), {d['peer']}", "ln")

    def check(q_hat, mean, sd, what):
        for p, qh in zip(d["quantile_levels"], q_hat):
            zp = ZP[p]
            se = sd * math.sqrt(p * (1 - p) / n) / phi(zp)
            chk.add(math.log(qh) - (mean + zp * sd), se, res, zmax, f"{what} q{round(p * 100)}")

    for k in d["actors"][1:]:
        (mb, sb), (mg, sg) = ln_params(*CI[k][0]), ln_params(*CI[k][1])
        for yi, y in enumerate(d["years"]):
            s = y - 2025
            check(d["budget_quantiles"][k][yi], mb + s * mg, math.hypot(sb, s * sg), f"B {k} {y}")
    # The frontier's budget is m S(t) (BENCH_MODEL.md); compare.py still checks it against
    # ln S0 alone, from before that change, and so fails every current output.
    m0, s0 = ln_params(*CI["S0"])
    (mm, sm), (mp, sp) = ln_params(*CI["m"]), ln_params(*CI["P0"])
    check(d["budget_quantiles"]["frontier"][0], mm + m0, math.hypot(sm, s0), "m S 2025")
    check(d["cost_quantiles"]["ten_x_gpt4"][0], mm + math.log(2e26) - mp, math.hypot(sm, sp),
          "C ten_x_gpt4 2025")
    lines.append(f"### {label(d)} vs closed-form quantiles\n")
    lines.append(f"Tolerance: |diff| <= {zmax:g} SE + {res:g} (in ln).\n")
    lines.append("| statistic | checked | worst case | z | z beyond resolution | excess | status |")
    lines.append("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    lines.append(chk.row(zmax))
    lines.append("")
    if chk.flagged:
        lines.append(f"Entries beyond tolerance ({len(chk.flagged)}):\n")
        lines.extend(f"- {f}" for f in chk.flagged)
        lines.append("")
    return chk.count, chk.flagged


def res_of(d, args, res):
    return res if d.get("peer") in args.binned else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--z", type=float, default=4.0, help="standard errors allowed (default 4)")
    ap.add_argument("--out", help="also write the report to this file")
    ap.add_argument("--analytic", action="store_true", help="also check closed-form quantiles")
    ap.add_argument("--binned", nargs="*", default=["diffusion-sim"], metavar="NAME",
                    help="peer names whose quantiles are binned (default: diffusion-sim)")
    ap.add_argument("--year-res", type=float, default=YEAR_RES,
                    help=f"tau quantile resolution per binned file, years (default {YEAR_RES})")
    ap.add_argument("--log-res", type=float, default=LOG_RES,
                    help=f"C/B quantile resolution per binned file, ln units (default {LOG_RES})")
    args = ap.parse_args()
    if len(args.files) < 2 and not args.analytic:
        ap.error("give at least two files (or --analytic)")
    docs = [load(p) for p in args.files]
    lines = []
    total, flagged = 0, []
    if args.analytic:
        for d in docs:
            c, f = analytic(d, args, lines)
            total, flagged = total + c, flagged + f
    for a, b in itertools.combinations(docs, 2):
        c, f = compare(a, b, args, lines)
        total, flagged = total + c, flagged + f
    if flagged:
        lines.append(f"verdict: FAIL ({len(flagged)} of {total} statistics beyond "
                     f"{args.z:g} SE + resolution)")
    else:
        lines.append(f"verdict: PASS (all {total} statistics within {args.z:g} SE + resolution)")
    text = "\n".join(lines) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    sys.stdout.write(text)
    sys.exit(1 if flagged else 0)


if __name__ == "__main__":
    main()
