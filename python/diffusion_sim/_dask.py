"""The cluster edge: tasks on a Dask cluster, each the same command the command line runs.

Nothing here is sampled, computed or merged: a run's shards (``run --shard K/N``) and a sweep's
points (``run --set ...``) are submitted as tasks and their files come back as bytes; the
caller merges them with the command line's own merge and table writers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import List, Optional, Tuple

from ._execute import execute


def shard(text: str, k: int, n: int, args: List[str], keep_samples: bool) -> Tuple[bytes, Optional[bytes]]:
    """Shard `k` of `n` of the scenario `text` (run on a worker): its partial file's bytes, and
    its per-sample rows as Parquet bytes when kept."""
    with tempfile.TemporaryDirectory(prefix="diffusion-sim-shard-") as d:
        partial = Path(d) / "partial.json"
        argv = ["run", "-", "--shard", f"{k}/{n}", "--partial", partial, "--quiet", *args]
        parquet = Path(d) / "samples.parquet"
        if keep_samples:
            argv += ["--samples-out", parquet]
        execute(argv, text)
        return partial.read_bytes(), (parquet.read_bytes() if keep_samples else None)


def point(text: str, args: List[str]) -> bytes:
    """One point of a sweep (run on a worker): the summary.json of the scenario `text` run
    with `args` (its samples, seed and settings)."""
    with tempfile.TemporaryDirectory(prefix="diffusion-sim-point-") as d:
        out = Path(d) / "out"
        execute(["run", "-", "--out", out, "--quiet", "--no-charts", *args], text)
        return (out / "summary.json").read_bytes()


def run_shards(client, text: str, args: List[str], n: int, keep_samples: bool):
    """Every shard of `n` as a task on `client`'s cluster; their results in shard order."""
    futures = [
        client.submit(shard, text, k, n, args, keep_samples, pure=False) for k in range(1, n + 1)
    ]
    return client.gather(futures)


def run_points(client, text: str, point_args: List[List[str]]) -> List[bytes]:
    """Every point of a sweep as a task on `client`'s cluster; their summaries in point order."""
    futures = [client.submit(point, text, args, pure=False) for args in point_args]
    return client.gather(futures)
