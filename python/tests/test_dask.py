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
