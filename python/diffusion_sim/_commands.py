"""The package's functions: each runs the command line's command of the same name, in process."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Iterable, List, Mapping, Optional, Tuple

import pandas as pd

from . import _core
from ._results import CompareResult, RunResult, SweepResult
from ._execute import execute
from ._scenario import Scenario, number_text, scalar, set_args, source, text_of


def common_args(
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    threads: Optional[int] = None,
) -> List[str]:
    """The flags every sampling command takes."""
    args: List[str] = []
    if samples is not None:
        args += ["--samples", str(_count(samples, "samples", 1))]
    if seed is not None:
        args += ["--seed", str(_count(seed, "seed", 0))]
    if threads is not None:
        args += ["--threads", str(_count(threads, "threads", 1))]
    return args + set_args(overrides)


def _count(value: Any, name: str, minimum: int) -> int:
    """`value` (an int, a whole float such as ``1e6``, or numpy's) as an int of at least
    `minimum`; anything else is an :class:`InputError` naming the argument `name`. The engine
    checks the upper limits."""
    plain = scalar(value)
    if isinstance(plain, float) and plain.is_integer():  # False for NaN and infinities
        plain = int(plain)
    if isinstance(plain, bool) or not isinstance(plain, int) or plain < minimum:
        raise _core.InputError(f"{name} must be a whole number ≥ {minimum}, got {value!r}")
    return plain


def _folder(out) -> Tuple[Path, Path, Optional[tempfile.TemporaryDirectory]]:
    """The output folder and a scratch folder beside it (temporary unless `out` is given)."""
    keep = tempfile.TemporaryDirectory(prefix="diffusion-sim-")
    scratch = Path(keep.name)
    if out is not None:
        return Path(out), scratch, keep
    return scratch / "out", scratch, keep


def run(
    scenario: Scenario,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    keep_samples: bool = False,
    *,
    threads: Optional[int] = None,
    charts: bool = True,
    sensitivity: bool = False,
    out=None,
    client=None,
    shards: Optional[int] = None,
) -> RunResult:
    """Samples a scenario: ``diffusion-sim run``.

    `scenario` is a path, TOML text or a dict; `samples` and `seed` replace the scenario's;
    `overrides` maps dotted keys (as :func:`validate` lists them) to values, like ``--set``.
    With `keep_samples`, ``result.samples`` has one row per sample: every sampled input and
    every target × class year (NaN: not by the horizon). With a Dask `client`, the samples are
    split into `shards` (default: one per worker) run on the cluster and merged exactly: the
    same numbers as a local run. `out` keeps the files in that folder (default: a temporary
    folder that lives as long as the result).
    """
    if client is not None:
        if sensitivity:
            raise _core.InputError(
                "the sensitivity analysis needs every sample in one place: run it without client="
            )
        return _run_on(client, scenario, common_args(samples, seed, overrides, threads), shards, keep_samples, charts, out)
    arg, text = source(scenario)
    folder, scratch, keep = _folder(out)
    argv = ["run", arg, "--out", folder, "--quiet"] + common_args(samples, seed, overrides, threads)
    if not charts:
        argv.append("--no-charts")
    if sensitivity:
        argv.append("--sensitivity")
    # In the output folder, so that `out` keeps it (the engine writes it with the folder).
    parquet = folder / "samples.parquet"
    if keep_samples:
        argv += ["--samples-out", parquet]
    stdout = execute(argv, text)
    table = read_samples(parquet) if keep_samples else None
    return RunResult(folder, stdout, keep=keep, samples=table)


def read_samples(path: Path) -> pd.DataFrame:
    """A ``--samples-out`` Parquet file as a DataFrame (nulls, "not by the horizon", as NaN)."""
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()


def sensitivity(
    scenario: Scenario,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    *,
    target: Optional[str] = None,
    actor: Optional[str] = None,
    top: Optional[int] = None,
    threads: Optional[int] = None,
    charts: bool = True,
    out=None,
) -> RunResult:
    """What drives each affordability year: ``diffusion-sim sensitivity``. The result is a run's
    with ``result.sensitivity`` (rank correlations and swings per input) and tornado charts."""
    arg, text = source(scenario)
    folder, _, keep = _folder(out)
    argv = ["sensitivity", arg, "--out", folder, "--quiet"] + common_args(samples, seed, overrides, threads)
    for flag, value in (("--target", target), ("--actor", actor)):
        if value is not None:
            argv += [flag, str(value)]
    if top is not None:
        argv += ["--top", str(_count(top, "top", 1))]
    if not charts:
        argv.append("--no-charts")
    return RunResult(folder, execute(argv, text), keep=keep)


def compare(
    *scenarios: Scenario,
    budgets: Optional[Iterable[Any]] = None,
    budgets_range: Optional[str] = None,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    threads: Optional[int] = None,
    charts: bool = True,
    out=None,
) -> CompareResult:
    """Budget thresholds within one scenario (`budgets`, e.g. ``["100K", "1M", 1e7]``, or
    `budgets_range` as ``--budgets-range`` takes it), or two or more scenarios side by side on
    common random numbers: ``diffusion-sim compare``. Scenario texts and dicts are compared
    under the names ``scenario1``, ``scenario2``, …"""
    if not scenarios:
        raise _core.InputError("compare needs a scenario (with budgets) or two or more scenarios")
    folder, scratch, keep = _folder(out)
    args = []
    for i, scn in enumerate(scenarios, start=1):
        arg, text = source(scn)
        if text is not None:
            # Only one scenario can come on stdin: the others are written beside the output.
            path = scratch / f"scenario{i}.toml"
            path.write_text(text, encoding="utf-8")
            arg = str(path)
        args.append(arg)
    argv = ["compare", *args, "--out", folder, "--quiet"] + common_args(samples, seed, overrides, threads)
    if budgets is not None:
        argv += ["--budgets", ",".join(_budget(b) for b in budgets)]
    if budgets_range is not None:
        argv += ["--budgets-range", budgets_range]
    if not charts:
        argv.append("--no-charts")
    return CompareResult(folder, execute(argv), keep=keep)


def _budget(value: Any) -> str:
    """One budget as ``--budgets`` reads it: a number of any kind as the text of the same f64,
    anything else (text such as ``"$1M"``) as its text, which the engine checks."""
    plain = scalar(value)
    if isinstance(plain, (int, float)) and not isinstance(plain, bool):
        return number_text(plain, "a budget")
    return str(plain)


def validate(scenario: Scenario, overrides: Optional[Mapping[str, Any]] = None) -> str:
    """Reads and checks a scenario: ``diffusion-sim validate``. Returns its description (every
    uncertain input by the dotted key `overrides` take); raises :class:`ScenarioError`."""
    arg, text = source(scenario)
    return execute(["validate", arg] + set_args(overrides), text)


def merge(partials: Iterable[Any], *, charts: bool = True, out=None) -> RunResult:
    """Merges the partial files of a sharded run (``run --shard K/N --partial FILE``, from the
    command line or another machine) into the run's outputs: ``diffusion-sim merge``. Each
    partial is a path or the file's bytes."""
    folder, scratch, keep = _folder(out)
    paths = []
    for i, p in enumerate(partials, start=1):
        if isinstance(p, (bytes, bytearray)):
            path = scratch / f"partial{i}.json"
            path.write_bytes(p)
            p = path
        paths.append(str(p))
    argv = ["merge", *paths, "--out", folder, "--quiet"]
    if not charts:
        argv.append("--no-charts")
    return RunResult(folder, execute(argv), keep=keep)


def sweep(
    scenario: Scenario,
    grid: Optional[Mapping[str, Iterable[Any]]] = None,
    lhs: Optional[Mapping[str, Tuple[Any, ...]]] = None,
    points: Optional[int] = None,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    *,
    threads: Optional[int] = None,
    charts: bool = True,
    out=None,
    client=None,
) -> "SweepResult":
    """Runs a scenario at every point of a grid or a Latin hypercube, on common random numbers:
    ``diffusion-sim sweep``.

    `grid` maps dotted keys to the values each takes (every combination runs, the first key
    varying slowest), e.g. ``{"hardware.doubling_time_years": [2, 2.5, 3]}``; `lhs` maps keys to
    ``(low, high)`` ranges, or ``(low, high, "log")`` for strata equal in the logarithm, and
    `points` says how many points the hypercube draws. The result's
    ``results`` is sweep.csv (one row per point × target × class). With a Dask `client`, each
    point runs as one task on the cluster and the tables are joined on the client: the same
    sweep.csv and sweep.json as a local sweep (charts are drawn only locally).
    """
    grid_args = [f"{k}={_values(v)}" for k, v in _dict(grid, "grid").items()]
    lhs_args = [f"{k}={_lhs_range(k, r)}" for k, r in _dict(lhs, "lhs").items()]
    points = None if points is None else _count(points, "points", 1)
    samples = None if samples is None else _count(samples, "samples", 1)
    seed = None if seed is None else _count(seed, "seed", 0)
    if client is not None:
        return _sweep_on(client, scenario, grid_args, lhs_args, points, samples, seed, overrides, out)
    arg, text = source(scenario)
    folder, _, keep = _folder(out)
    argv = ["sweep", arg, "--out", folder, "--quiet"] + common_args(samples, seed, overrides, threads)
    for g in grid_args:
        argv += ["--grid", g]
    for a in lhs_args:
        argv += ["--lhs", a]
    if points is not None:
        argv += ["--points", str(points)]
    if not charts:
        argv.append("--no-charts")
    return SweepResult(folder, execute(argv, text), keep=keep)


def _dict(value: Any, name: str) -> Mapping[str, Any]:
    """`grid` or `lhs` (`name`): a dict of dotted keys, or an :class:`InputError`."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _core.InputError(f"{name} takes a dict of dotted keys, not a {type(value).__name__}")
    return value


def _values(values: Iterable[Any]) -> str:
    """A grid's values in the TOML-array form ``sweep --grid`` reads (any value may hold a comma)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise _core.InputError(f"a grid key takes a list of values, got {values!r}")
    from ._scenario import toml_value

    return "[" + ", ".join(toml_value(v) for v in values) + "]"


def _lhs_range(key: str, spec: Any) -> str:
    """An `lhs` range as ``--lhs`` takes it: ``LOW:HIGH``, or ``LOW:HIGH:log``."""
    items = list(spec) if not isinstance(spec, (str, bytes)) and hasattr(spec, "__iter__") else []
    if len(items) == 3 and isinstance(items[2], str) and items[2].lower() == "log":
        return f"{_bound(items[0])}:{_bound(items[1])}:log"
    if len(items) == 2:
        return f"{_bound(items[0])}:{_bound(items[1])}"
    raise _core.InputError(f'lhs["{key}"]: expected (low, high) or (low, high, "log"), got {spec!r}')


def _bound(value: Any) -> str:
    """One end of a hypercube range, as ``sweep --lhs`` reads it (numbers of any kind, or text
    like "$1M")."""
    value = scalar(value)
    if isinstance(value, str):
        return value
    return number_text(value, "an lhs range's end")


def _run_on(client, scenario: Scenario, args: List[str], shards, keep_samples: bool, charts: bool, out) -> RunResult:
    """A run split into `shards` tasks on `client`'s cluster (default: one per worker), merged
    by ``merge`` here: the numbers of the run on one machine."""
    from . import _dask

    if shards is not None:
        n = _count(shards, "shards", 1)
    else:
        n = max(1, len(client.scheduler_info()["workers"]))
    # The text travels to the workers, so they need no shared file system.
    parts = _dask.run_shards(client, text_of(scenario), args, n, keep_samples)
    result = merge([p for p, _ in parts], charts=charts, out=out)
    if keep_samples:
        tables = []
        for k, (_, rows) in enumerate(parts, start=1):
            path = Path(result._keep.name) / f"samples{k}.parquet"
            path.write_bytes(rows)
            tables.append(read_samples(path))
        result.samples = pd.concat(tables, ignore_index=True)
    return result


def _sweep_on(client, scenario: Scenario, grid: List[str], lhs: List[str], points, samples, seed, overrides, out) -> SweepResult:
    """A sweep whose points run as tasks on `client`'s cluster, joined here into the files
    ``diffusion-sim sweep`` writes for the same arguments (sweep.csv, sweep.json)."""
    from . import _dask

    text = text_of(scenario)
    base = set_args(overrides)[1::2]  # the KEY=VALUE of each --set
    name, _, n, s, settings = _core.sweep_plan(text, base, grid, lhs, points, samples, seed)
    common = common_args(n, s, overrides)
    point_args = [common + [x for kv in p for x in ("--set", kv)] for p in settings]
    summaries = _dask.run_points(client, text, point_args)
    csv, doc = _core.sweep_tables(name, grid, lhs, points, n, s, summaries)
    folder, _, keep = _folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sweep.csv").write_bytes(bytes(csv))
    (folder / "sweep.json").write_bytes(bytes(doc))
    return SweepResult(folder, "", keep=keep)
