"""compare, sensitivity and merge: the command line's files, from Python."""

import math

import pytest

import diffusion_sim as ds
from conftest import REPO, WORKED, data_files, worked_year

BASELINE = REPO / "scenarios" / "baseline.toml"
SLOWDOWN = REPO / "scenarios" / "hardware_slowdown.toml"


def test_compare_budgets_is_the_command_lines(cli, tmp_path):
    result = ds.compare(BASELINE, budgets=["1M", "10M", 1e8], samples=1000, seed=2, charts=False)
    out = tmp_path / "out"
    cli("compare", "--budgets", "1M,10M,100000000.0", BASELINE, "--samples", 1000, "--seed", 2,
        "--out", out, "--quiet", "--no-charts")
    assert data_files(result.folder) == data_files(out)
    assert set(result.table("thresholds")["budget"]) == {1e6, 1e7, 1e8}


def test_compare_budgets_on_the_worked_check_gives_the_closed_form():
    result = ds.compare(WORKED, budgets=[1e5, 1e6], charts=False)
    t = result.table("thresholds")
    for budget in (1e5, 1e6):
        row = t[t["budget"] == budget].iloc[0]
        assert row["year_p50"] == pytest.approx(worked_year(budget=budget), abs=1e-3)


def test_compare_scenarios_is_the_command_lines(cli, tmp_path):
    result = ds.compare(BASELINE, SLOWDOWN, samples=800, seed=4, charts=False)
    out = tmp_path / "out"
    cli("compare", BASELINE, SLOWDOWN, "--samples", 800, "--seed", 4, "--out", out, "--quiet",
        "--no-charts")
    assert data_files(result.folder) == data_files(out)
    assert result.compare["scenarios"] == [
        "baseline", "hardware_slowdown"
    ]


def test_sensitivity_is_the_command_lines(cli, tmp_path):
    args = dict(samples=800, seed=6, target="GPT-4 level", actor="Academic labs")
    result = ds.sensitivity(BASELINE, charts=False, **args)
    out = tmp_path / "out"
    stdout = cli("sensitivity", BASELINE, "--samples", 800, "--seed", 6, "--target", "GPT-4 level",
                 "--actor", "Academic labs", "--out", out, "--quiet", "--no-charts")
    assert data_files(result.folder) == data_files(out)
    assert result.stdout == stdout
    rows = result.sensitivity
    assert set(rows["target"]) == {"GPT-4 level"} and set(rows["actor"]) == {"Academic labs"}
    assert rows["spearman"].between(-1, 1).all()


def test_merge_of_command_line_shards_is_the_whole_run(cli, tmp_path):
    parts = []
    for k in (1, 2, 3):
        p = tmp_path / f"p{k}.json"
        cli("run", BASELINE, "--samples", 1001, "--seed", 8, "--shard", f"{k}/3", "--partial", p,
            "--quiet")
        parts.append(p if k != 2 else p.read_bytes())
    merged = ds.merge(parts, charts=False)
    whole = ds.run(BASELINE, samples=1001, seed=8, charts=False)
    assert data_files(merged.folder) == data_files(whole.folder)


def test_a_log_latin_hypercube_is_the_command_lines(cli, tmp_path):
    key = 'actor."Academic labs".budget'
    result = ds.sweep(BASELINE, lhs={key: ["$1M", "$100M", "LOG"]}, points=4, samples=300,
                      seed=3, charts=False)
    out = tmp_path / "out"
    cli("sweep", BASELINE, "--lhs", f"{key}=$1M:$100M:log", "--points", 4, "--samples", 300,
        "--seed", 3, "--out", out, "--quiet", "--no-charts")
    assert (out / "sweep.csv").read_bytes() == (result.folder / "sweep.csv").read_bytes()
    # One point in each of four strata equal in the logarithm: one per half decade.
    values = sorted(set(result.results[key]))
    assert [int(2 * math.log10(v / 1e6)) for v in values] == [0, 1, 2, 3]
    with pytest.raises(ds.InputError, match=r'expected \(low, high\) or \(low, high, "log"\)'):
        ds.sweep(BASELINE, lhs={key: ("$1M", "$100M", "lin")}, points=4, samples=300)
