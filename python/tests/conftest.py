"""Shared fixtures: the repository, the command-line binary the package is checked against, and
the worked check (a scenario whose affordability year has a closed form)."""

import math
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

WORKED = {
    "scenario": {
        "name": "worked check",
        "start_year": 2025.0,
        "end_year": 2060.0,
        "samples": 1000,
        "seed": 1,
    },
    "hardware": {"flop_per_dollar": 6.7e16, "doubling_time_years": 2.5},
    "algorithms": {"halving_time_years": 1.5},
    "investment": {"frontier_spend": "$100M", "growth_per_year": 1.0},
    "actor": [{"name": "Small lab", "budget": "$100K"}],
    "target": [{"name": "GPT-3", "flop": 3.14e23}],
}


def worked_year(budget=1e5, doubling=2.5, halving=1.5, flop=3.14e23, p0=6.7e16):
    """The year the worked check's cost E / (P0 · 2^(t/d_h) · 2^(t/d_a)) falls to `budget`."""
    rate = math.log(2) / doubling + math.log(2) / halving
    return 2025.0 + math.log(flop / p0 / budget) / rate


@pytest.fixture(scope="session")
def cli():
    """Runs the command-line binary (DIFFUSION_SIM_BIN, or the one `cargo test` / `cargo build`
    left in target/) and returns its stdout."""
    candidates = [os.environ.get("DIFFUSION_SIM_BIN")] + [
        str(REPO / "target" / p / "diffusion-sim") for p in ("debug", "release")
    ]
    found = [c for c in candidates if c and Path(c).is_file()]
    if not found:
        pytest.fail("no diffusion-sim binary: run `cargo build` (or set DIFFUSION_SIM_BIN)")
    binary = found[0]

    def run(*args, stdin=None):
        done = subprocess.run(
            [binary, *map(str, args)], input=stdin, capture_output=True, text=True, cwd=REPO
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def data_files(folder: Path):
    """Every file of an output folder but manifest.json (which records paths and times) and the
    charts, as {relative path: bytes}."""
    folder = Path(folder)
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json" and "charts" not in p.parts
    }
