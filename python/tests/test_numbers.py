"""Numbers of any kind (numpy's, integers beyond 64 bits) are taken wherever a Python number is,
and give the numbers the same plain Python values give."""

import pytest

import diffusion_sim as ds
from conftest import REPO, WORKED, data_files, worked_year

np = pytest.importorskip("numpy")

BASELINE = REPO / "scenarios" / "baseline.toml"
DOUBLING = "hardware.doubling_time_years"


def sweep_files(**kwargs):
    """The data files of a small sweep of the baseline."""
    return data_files(ds.sweep(BASELINE, samples=200, seed=4, charts=False, **kwargs).folder)


def test_a_numpy_grid_is_the_list_grid():
    assert sweep_files(grid={DOUBLING: np.linspace(1.5, 4, 3)}) == sweep_files(
        grid={DOUBLING: [1.5, 2.75, 4.0]}
    )
    assert sweep_files(grid={"costs.overhead": np.arange(2, 4)}) == sweep_files(
        grid={"costs.overhead": [2, 3]}
    )


def test_a_numpy_hypercube_range_and_points_are_the_plain_ones():
    numpy_lhs = {DOUBLING: (np.float64(1.5), np.float64(4)), "costs.overhead": (np.int64(1), np.int64(3))}
    plain_lhs = {DOUBLING: (1.5, 4.0), "costs.overhead": (1, 3)}
    assert sweep_files(lhs=numpy_lhs, points=np.int64(3)) == sweep_files(lhs=plain_lhs, points=3)


def test_numpy_samples_seed_threads_and_overrides_are_the_plain_ones():
    plain = ds.run(WORKED, samples=700, seed=3, threads=1, overrides={DOUBLING: 2.25}, charts=False)
    numpy = ds.run(
        WORKED,
        samples=np.int64(700),
        seed=np.uint32(3),
        threads=np.int8(1),
        overrides={DOUBLING: np.float64(2.25)},
        charts=False,
    )
    assert data_files(numpy.folder) == data_files(plain.folder)
    assert numpy.manifest["overrides"] == [f"{DOUBLING}=2.25"]
    assert numpy.summary["affordability"][0]["year"]["p50"] == pytest.approx(
        worked_year(doubling=2.25), abs=1e-6
    )
    # A 0-d array is a number too; numpy's bool is a bool, which a count is not.
    assert ds.run(WORKED, samples=np.array(700), seed=3, charts=False).summary["samples"] == 700
    with pytest.raises(ds.InputError, match="samples"):
        ds.run(WORKED, samples=np.bool_(True), charts=False)


def test_numpy_numbers_in_a_scenario_dict_and_budgets():
    scenario = {**WORKED, "scenario": {**WORKED["scenario"], "samples": np.int64(500)}}
    assert ds.run(scenario, charts=False).summary["samples"] == 500
    result = ds.compare(WORKED, budgets=[np.float64(1e5), np.int64(1_000_000)], charts=False)
    assert sorted(result.table("thresholds")["budget"]) == [1e5, 1e6]


def test_an_integer_beyond_64_bits_is_the_float_it_stands_for():
    # A FLOP count: 10**25 does not fit in a TOML integer; it is the f64 nearest to it.
    flop = 'target."GPT-3".flop'
    big = ds.run(WORKED, overrides={flop: 10**25}, charts=False)
    as_float = ds.run(WORKED, overrides={flop: 1e25}, charts=False)
    assert data_files(big.folder) == data_files(as_float.folder)
    assert big.summary["affordability"][0]["year"]["p50"] == pytest.approx(
        worked_year(flop=1e25), abs=1e-6
    )
    # Not exactly a float: the nearest one, as the command line reads the same digits.
    odd = 10**25 + 12345
    assert ds.run(WORKED, overrides={flop: odd}, charts=False).summary == ds.run(
        WORKED, overrides={flop: float(odd)}, charts=False
    ).summary
    with pytest.raises(ds.InputError, match="out of range"):
        ds.run(WORKED, overrides={flop: 10**400}, charts=False)
