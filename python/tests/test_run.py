"""`ds.run` against the command line's files and against closed forms."""

import math

import pandas as pd
import pytest

import diffusion_sim as ds
from conftest import REPO, WORKED, data_files, worked_year

BASELINE = REPO / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The baseline at 3,000 samples, seed 7, from Python and from the command line."""
    cli_out = tmp_path_factory.mktemp("cli") / "out"
    return ds.run(BASELINE, samples=3000, seed=7, threads=2), cli_out


def test_every_data_file_is_the_command_lines_byte_for_byte(baseline, cli):
    result, cli_out = baseline
    stdout = cli("run", BASELINE, "--samples", 3000, "--seed", 7, "--out", cli_out, "--quiet")
    assert data_files(result.folder) == data_files(cli_out)
    assert result.stdout == stdout
    # The same charts too: one engine, one renderer, one bundled font.
    for name in ("cost_gpt_4_level", "lag_trend"):
        assert result.chart(name).png == (cli_out / "charts" / f"{name}.png").read_bytes()


def test_tables_are_the_files_read_as_written(baseline, cli):
    result, cli_out = baseline
    for name in ("times", "affordability", "trajectories", "lag_trend", "cost_components"):
        expected = pd.read_csv(cli_out / f"{name}.csv", keep_default_na=False, na_values=[""])
        pd.testing.assert_frame_equal(result.table(name), expected)
    times = result.times.set_index(["target", "actor"])
    # A frontier lab can afford GPT-4 level at the start (2025) in every sample.
    assert times.loc[("GPT-4 level", "Frontier labs"), "year_p50"] == 2025.0
    # Quantiles are ordered wherever they are defined.
    q = result.times[["year_p5", "year_p25", "year_p50", "year_p75", "year_p95"]].dropna()
    assert (q.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    s = result.summary
    assert (s["samples"], s["seed"], s["schema_version"]) == (3000, 7, 2)
    assert result.manifest["samples"] == 3000


def test_arrow_and_polars_hold_the_same_numbers(baseline):
    result, _ = baseline
    arrow = result.to_arrow()
    pl = result.to_polars()
    for name, df in result.tables.items():
        assert arrow[name].num_rows == len(df)
        assert pl[name].shape == df.shape
    # "Not by the horizon" is an empty cell: null in Arrow, NaN in pandas.
    from_arrow = [math.nan if v is None else v for v in arrow["times"].column("year_p50").to_pylist()]
    assert from_arrow == pytest.approx(result.times["year_p50"].tolist(), nan_ok=True)
    assert pl["times"]["year_p50"].null_count() == result.times["year_p50"].isna().sum() > 0


def test_charts_show_inline_and_save(baseline, tmp_path):
    result, _ = baseline
    chart = result.plot_cost("GPT-4 level")
    png = chart._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert chart.svg.lstrip().startswith("<svg")
    assert result.plot_lag_trend().name == "lag_trend"
    assert result.plot_affordability("Frontier of 2030").name == "affordability_frontier_of_2030"
    saved = chart.save(tmp_path / "c.svg")
    assert saved.read_text() == chart.svg
    with pytest.raises(KeyError, match="no chart"):
        result.plot_cost("No such target")


def test_the_worked_check_gives_its_closed_form():
    result = ds.run(WORKED)
    pair = result.summary["affordability"][0]
    for q in ("p5", "p50", "p95"):
        assert pair["year"][q] == pytest.approx(worked_year(), abs=1e-6)
    # An override is --set: a $1M budget moves the year by ln(10) / rate.
    richer = ds.run(WORKED, overrides={'actor."Small lab".budget': "$1M"})
    assert richer.summary["affordability"][0]["year"]["p50"] == pytest.approx(
        worked_year(budget=1e6), abs=1e-6
    )
    assert richer.times["year_p50"][0] == pytest.approx(worked_year(budget=1e6), abs=1e-3)


def test_a_path_text_and_dict_give_the_same_numbers(tmp_path):
    reference = ds.run(WORKED, charts=False)
    text = (reference.folder / "scenario.toml").read_text()
    path = tmp_path / "worked.toml"
    path.write_text(text)
    runs = [ds.run(s, samples=500, seed=3, charts=False) for s in (WORKED, text, path, str(path))]
    first = data_files(runs[0].folder)
    for r in runs[1:]:
        assert data_files(r.folder) == first


def test_overrides_are_the_command_lines_set(cli, tmp_path):
    overrides = {"hardware.doubling_time_years": "2 to 3", "costs.overhead": 2}
    result = ds.run(BASELINE, samples=1000, seed=5, overrides=overrides, charts=False)
    out = tmp_path / "out"
    cli(
        "run", BASELINE, "--samples", 1000, "--seed", 5, "--out", out, "--quiet", "--no-charts",
        "--set", "hardware.doubling_time_years=2 to 3", "--set", "costs.overhead=2",
    )
    assert data_files(result.folder) == data_files(out)
    assert result.manifest["overrides"] == [
        'hardware.doubling_time_years="2 to 3"',
        "costs.overhead=2",
    ]


def test_out_keeps_the_files(tmp_path):
    out = tmp_path / "kept"
    result = ds.run(WORKED, out=out, charts=False)
    assert result.folder == out and (out / "summary.json").is_file()
    del result
    assert (out / "times.csv").is_file()


def test_kept_samples_are_each_samples_own_closed_form():
    uncertain = {**WORKED, "hardware": {**WORKED["hardware"], "doubling_time_years": "2 to 3"}}
    result = ds.run(uncertain, samples=3000, seed=11, keep_samples=True, charts=False)
    rows = result.samples
    assert list(rows.columns) == ["sample", "hardware.doubling_time_years", 'year."GPT-3"."Small lab"']
    assert rows["sample"].tolist() == list(range(3000))
    d = rows["hardware.doubling_time_years"]
    # "2 to 3" is a lognormal with 2 and 3 as its 5th and 95th percentiles.
    assert d.quantile(0.05) == pytest.approx(2.0, rel=0.02)
    assert d.quantile(0.95) == pytest.approx(3.0, rel=0.02)
    expected = d.map(lambda v: worked_year(doubling=v))
    assert (rows['year."GPT-3"."Small lab"'] - expected).abs().max() < 1e-6
    # The run's own quantiles are those of these rows, to the histogram's resolution.
    p50 = result.times["year_p50"][0]
    assert rows['year."GPT-3"."Small lab"'].median() == pytest.approx(p50, abs=0.01)


def test_kept_samples_from_the_cluster_are_the_local_ones():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.Client(
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    ) as client:
        remote = ds.run(BASELINE, samples=1500, seed=2, keep_samples=True, client=client, shards=3)
    local = ds.run(BASELINE, samples=1500, seed=2, keep_samples=True, charts=False)
    pd.testing.assert_frame_equal(remote.samples, local.samples)
    never = local.samples['year."Frontier of 2035"."Individuals"'].isna().mean()
    p_by = local.times.set_index(["target", "actor"]).loc[("Frontier of 2035", "Individuals"), "p_by_horizon"]
    assert never == pytest.approx(1 - p_by, abs=1e-9)


def test_a_chart_outlives_the_result_it_came_from(tmp_path):
    import gc

    # The result is gone as soon as the chart is taken: the chart keeps its files.
    chart = ds.run(WORKED, samples=200).plot_cost("GPT-3")
    gc.collect()
    assert chart._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.svg.lstrip().startswith("<svg")
    assert chart.save(tmp_path / "c.png").read_bytes() == chart.png
    charts = ds.run(WORKED, samples=200).charts
    gc.collect()
    assert all(c.png[:4] == b"\x89PNG" for c in charts.values()) and charts


def test_to_polars_without_polars_says_what_to_install(baseline, monkeypatch):
    import sys

    result, _ = baseline
    monkeypatch.setitem(sys.modules, "polars", None)  # as if polars were not installed
    with pytest.raises(ImportError, match=r'pip install "\./python\[polars\]"'):
        result.to_polars()


def test_out_keeps_the_samples_file(tmp_path):
    import gc

    uncertain = {**WORKED, "hardware": {**WORKED["hardware"], "doubling_time_years": "2 to 3"}}
    out = tmp_path / "kept"
    result = ds.run(uncertain, samples=500, seed=11, keep_samples=True, out=out, charts=False)
    samples = result.samples
    del result
    gc.collect()
    pd.testing.assert_frame_equal(pd.read_parquet(out / "samples.parquet"), samples)
