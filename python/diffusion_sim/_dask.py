"""Runs on a Dask cluster: the samples split into shards, each a ``run --shard K/N`` on a
worker, merged exactly by ``merge`` on the client. Nothing here is sampled or computed: the
workers run the same command as the command line, and the merge is the one the command line
uses (its counts are integers, so the result does not depend on the split)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import List, Optional

from . import _core
from ._results import RunResult
from ._scenario import Scenario, text_of


def shard(text: str, k: int, n: int, args: List[str], keep_samples: bool):
    """Shard `k` of `n` of the scenario `text` (run on a worker): its partial file's bytes, and
    its per-sample rows as Parquet bytes when kept."""
    from ._commands import execute

    with tempfile.TemporaryDirectory(prefix="diffusion-sim-shard-") as d:
        partial = Path(d) / "partial.json"
        argv = ["run", "-", "--shard", f"{k}/{n}", "--partial", partial, "--quiet", *args]
        parquet = Path(d) / "samples.parquet"
        if keep_samples:
            argv += ["--samples-out", parquet]
        execute(argv, text)
        return partial.read_bytes(), (parquet.read_bytes() if keep_samples else None)


def run_on(client, scenario: Scenario, args: List[str], shards: Optional[int], keep_samples: bool, charts: bool, out) -> RunResult:
    """A run split into `shards` tasks on `client`'s cluster (default: one per worker)."""
    from ._commands import merge, read_samples

    n = shards if shards is not None else max(1, len(client.scheduler_info()["workers"]))
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise _core.InputError(f"shards must be a whole number ≥ 1, got {shards!r}")
    # The text travels to the workers, so they need no shared file system.
    text = text_of(scenario)
    futures = [
        client.submit(shard, text, k, n, args, keep_samples, pure=False)
        for k in range(1, n + 1)
    ]
    parts = client.gather(futures)
    result = merge([p for p, _ in parts], charts=charts, out=out)
    if keep_samples:
        import pandas as pd

        tables = []
        for k, (_, rows) in enumerate(parts, start=1):
            path = Path(result._keep.name) / f"samples{k}.parquet"
            path.write_bytes(rows)
            tables.append(read_samples(path))
        result.samples = pd.concat(tables, ignore_index=True)
    return result


def point(text: str, args: List[str]) -> bytes:
    """One point of a sweep (run on a worker): the summary.json of the scenario `text` run
    with `args` (its samples, seed and settings)."""
    from ._commands import execute

    with tempfile.TemporaryDirectory(prefix="diffusion-sim-point-") as d:
        out = Path(d) / "out"
        execute(["run", "-", "--out", out, "--quiet", "--no-charts", *args], text)
        return (out / "summary.json").read_bytes()


def sweep_on(client, scenario: Scenario, grid: List[str], lhs: List[str], points, samples, seed, overrides, out):
    """A sweep whose points run as tasks on `client`'s cluster, joined into the files
    ``diffusion-sim sweep`` writes for the same arguments (sweep.csv, sweep.json)."""
    from ._commands import common_args
    from ._results import SweepResult
    from ._scenario import set_args

    text = text_of(scenario)
    base = set_args(overrides)[1::2]  # the KEY=VALUE of each --set
    name, _, n, s, settings = _core.sweep_plan(text, base, grid, lhs, points, samples, seed)
    common = common_args(n, s, overrides)
    futures = [
        client.submit(point, text, common + [x for kv in p for x in ("--set", kv)], pure=False)
        for p in settings
    ]
    summaries = client.gather(futures)
    csv, doc = _core.sweep_tables(name, grid, lhs, points, n, s, summaries)
    keep = tempfile.TemporaryDirectory(prefix="diffusion-sim-")
    folder = Path(out) if out is not None else Path(keep.name) / "out"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sweep.csv").write_bytes(bytes(csv))
    (folder / "sweep.json").write_bytes(bytes(doc))
    return SweepResult(folder, "", keep=keep)
