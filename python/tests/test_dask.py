"""Runs split across a real Dask LocalCluster (two worker processes) merge to the local run."""

import pytest

import diffusion_sim as ds
from conftest import REPO, WORKED, data_files, worked_year

distributed = pytest.importorskip("dask.distributed")

BASELINE = REPO / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_a_run_on_the_cluster_is_the_local_run(client):
    assert len(client.scheduler_info()["workers"]) == 2
    local = ds.run(BASELINE, samples=2001, seed=9, charts=False)
    for shards in (None, 3):
        remote = ds.run(BASELINE, samples=2001, seed=9, charts=False, client=client, shards=shards)
        assert data_files(remote.folder) == data_files(local.folder)


def test_overrides_travel_to_the_workers(client):
    r = ds.run(WORKED, overrides={'actor."Small lab".budget': "$1M"}, client=client, charts=False)
    assert r.summary["affordability"][0]["year"]["p50"] == pytest.approx(
        worked_year(budget=1e6), abs=1e-6
    )


def test_a_sweep_on_the_cluster_writes_the_command_lines_tables(client, cli, tmp_path):
    grid = {"hardware.doubling_time_years": [2, "2 to 3"], 'actor."Academic labs".budget': ["$1M", "$10M"]}
    remote = ds.sweep(BASELINE, grid=grid, samples=600, seed=3, client=client,
                      overrides={"costs.overhead": 3})
    local = ds.sweep(BASELINE, grid=grid, samples=600, seed=3, charts=False,
                     overrides={"costs.overhead": 3})
    for name in ("sweep.csv", "sweep.json"):
        assert (remote.folder / name).read_bytes() == (local.folder / name).read_bytes()
    out = tmp_path / "cli"
    cli("sweep", BASELINE, "--grid", 'hardware.doubling_time_years=[2, "2 to 3"]',
        "--grid", 'actor."Academic labs".budget=["$1M", "$10M"]', "--samples", 600, "--seed", 3,
        "--set", "costs.overhead=3", "--out", out, "--quiet", "--no-charts")
    assert (out / "sweep.csv").read_bytes() == (local.folder / "sweep.csv").read_bytes()
    assert len(remote.results) == 4 * len(set(zip(local.results["target"], local.results["actor"])))


def test_a_latin_hypercube_on_the_cluster_is_the_local_one(client):
    lhs = {"hardware.doubling_time_years": (1.5, 4.0)}
    remote = ds.sweep(WORKED, lhs=lhs, points=5, client=client)
    local = ds.sweep(WORKED, lhs=lhs, points=5, charts=False)
    assert (remote.folder / "sweep.csv").read_bytes() == (local.folder / "sweep.csv").read_bytes()
    # Each point's median is the worked check's closed form at that point's doubling time.
    for _, row in remote.results.iterrows():
        d = float(row["hardware.doubling_time_years"])
        assert row["year_p50"] == pytest.approx(worked_year(doubling=d), abs=1e-3)
