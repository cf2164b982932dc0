"""What a command wrote, read back: tables as pandas DataFrames, JSON as dicts, charts as images.

Every table is the CSV file the binary writes, read as it is written: the same numbers, at the
same resolution, as the command line gives for the same scenario and seed.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Dict, Optional

import pandas as pd


class Chart:
    """One chart as the command line draws it: PNG (bundled font) and SVG.

    A chart keeps its output's temporary folder alive, so it stays usable after the result it
    came from is gone (``ds.run(...).plot_cost("GPT-4 level").png``).
    """

    def __init__(self, folder: Path, stem: str, keep: Optional[tempfile.TemporaryDirectory] = None):
        self.name = stem
        self._folder = folder
        # The owner of the temporary folder the files are in: removed only when no chart and no
        # result holds it.
        self._keep = keep

    @property
    def png(self) -> bytes:
        """The PNG bytes."""
        return (self._folder / f"{self.name}.png").read_bytes()

    @property
    def svg(self) -> str:
        """The SVG text."""
        return (self._folder / f"{self.name}.svg").read_text(encoding="utf-8")

    def _repr_png_(self) -> bytes:
        """The PNG bytes, for Jupyter's inline display."""
        return self.png

    def save(self, path) -> Path:
        """Copies the chart to `path` (its suffix, ``.png`` or ``.svg``, chooses the format)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".png", ".svg"):
            raise ValueError(f"{path}: a chart is saved as .png or .svg")
        shutil.copyfile(self._folder / f"{self.name}{suffix}", path)
        return path

    def __repr__(self) -> str:
        return f"Chart({self.name!r})"


class Output:
    """A command's output folder, read back.

    ``tables`` maps each CSV file's stem to a DataFrame; ``summary``, ``manifest`` and the other
    JSON files are dicts; ``charts`` maps each chart's stem to a :class:`Chart`; ``stdout`` is
    what the command printed (the summary table); ``folder`` is where the files are (a
    temporary folder, removed with this object, unless ``out`` was given: keep a reference to
    the result while you read its files).
    """

    def __init__(self, folder: Path, stdout: str, keep: Optional[tempfile.TemporaryDirectory] = None):
        self.folder = Path(folder)
        self.stdout = stdout
        self._keep = keep
        self.tables: Dict[str, pd.DataFrame] = {
            p.stem: _read_csv(p.read_bytes()) for p in sorted(self.folder.glob("*.csv"))
        }
        self.json: Dict[str, dict] = {
            p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(self.folder.glob("*.json"))
        }
        charts = self.folder / "charts"
        stems = sorted({p.stem for p in charts.glob("*.png")}) if charts.is_dir() else []
        self.charts: Dict[str, Chart] = {s: Chart(charts, s, keep) for s in stems}

    @property
    def manifest(self) -> dict:
        """manifest.json: what ran (scenario hash, seed, samples, version, files)."""
        return self.json["manifest"]

    def table(self, name: str) -> pd.DataFrame:
        """The table written as ``<name>.csv``."""
        try:
            return self.tables[name]
        except KeyError:
            have = ", ".join(self.tables) or "none"
            raise KeyError(f"no {name}.csv in this output (tables: {have})") from None

    def to_arrow(self) -> Dict[str, "object"]:
        """Every table as a pyarrow Table (read from the CSV bytes, no pandas in between)."""
        import pyarrow.csv as pacsv

        return {
            p.stem: pacsv.read_csv(io.BytesIO(p.read_bytes()))
            for p in sorted(self.folder.glob("*.csv"))
        }

    def to_polars(self) -> Dict[str, "object"]:
        """Every table as a polars DataFrame (from Arrow, without copying the columns). Needs
        polars, the package's ``polars`` extra."""
        try:
            import polars as pl
        except ImportError as e:
            raise ImportError(
                'to_polars needs polars: pip install polars, or the package with its extra: '
                'pip install "./python[polars]"'
            ) from e

        return {name: pl.from_arrow(t) for name, t in self.to_arrow().items()}

    def chart(self, name: str) -> Chart:
        """The chart named `name` (a file stem under charts/, e.g. ``cost_gpt_4_level``)."""
        try:
            return self.charts[name]
        except KeyError:
            have = ", ".join(self.charts) or "none (run with charts=True)"
            raise KeyError(f"no chart {name!r} (charts: {have})") from None

    def save(self, folder) -> Path:
        """Copies every file of this output to `folder` (which must not exist)."""
        return Path(shutil.copytree(self.folder, folder))

    def __repr__(self) -> str:
        return self.stdout if self.stdout else f"{type(self).__name__}({self.folder})"


class RunResult(Output):
    """A run (``run``, ``sensitivity``, ``merge``): the files of ``diffusion-sim run``."""

    def __init__(self, *args, samples: Optional[pd.DataFrame] = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.samples = samples
        """One row per sample (every input, every target × class year) when kept."""

    @property
    def summary(self) -> dict:
        """summary.json."""
        return self.json["summary"]

    @property
    def times(self) -> pd.DataFrame:
        """times.csv: per target × class, the affordability year's and lag's quantiles."""
        return self.table("times")

    @property
    def affordability(self) -> pd.DataFrame:
        """affordability.csv: P(affordable by year) per target × class × reporting year."""
        return self.table("affordability")

    @property
    def trajectories(self) -> pd.DataFrame:
        """trajectories.csv: quantiles of every cost and budget path per reporting year."""
        return self.table("trajectories")

    @property
    def lag_trend(self) -> pd.DataFrame:
        """lag_trend.csv: each class's lag behind the frontier, by frontier year."""
        return self.table("lag_trend")

    @property
    def cost_components(self) -> Optional[pd.DataFrame]:
        """cost_components.csv (only with costs beyond compute and per-year outputs)."""
        return self.tables.get("cost_components")

    @property
    def sensitivity(self) -> Optional[pd.DataFrame]:
        """sensitivity.csv (only from ``sensitivity`` or ``run(..., sensitivity=True)``)."""
        return self.tables.get("sensitivity")

    def plot_cost(self, target: str) -> Chart:
        """The cost and budget trajectories of `target`."""
        return self.chart(f"cost_{_slug(target)}")

    def plot_affordability(self, target: str) -> Chart:
        """P(affordable by year) of `target` for every class."""
        return self.chart(f"affordability_{_slug(target)}")

    def plot_components(self, target: str) -> Chart:
        """The parts of `target`'s cost (only with costs beyond compute and per-year outputs)."""
        return self.chart(f"components_{_slug(target)}")

    def plot_lag(self, target: str) -> Chart:
        """Each class's lag behind the frontier for a frontier target."""
        return self.chart(f"lag_{_slug(target)}")

    def plot_lag_trend(self) -> Chart:
        """The lag behind the frontier against the frontier year."""
        return self.chart("lag_trend")

    def plot_processes(self) -> Chart:
        """Hardware, algorithms and spend over time."""
        return self.chart("processes")


class CompareResult(Output):
    """A comparison (``compare``): budget thresholds or scenarios side by side."""

    @property
    def compare(self) -> dict:
        """compare.json."""
        return self.json["compare"]


class SweepResult(Output):
    """A sweep (``sweep``): one run per point of a grid or a Latin hypercube."""

    @property
    def results(self) -> pd.DataFrame:
        """sweep.csv: per point × target × class, the swept values, P by the horizon and the
        affordability year's quantiles."""
        return self.tables["sweep"]

    @property
    def sweep(self) -> dict:
        """sweep.json: every point's values, reporting years and P by each year."""
        return self.json["sweep"]


def _read_csv(data: bytes) -> pd.DataFrame:
    # Empty cells are "none" (e.g. no lag for a target that is not a frontier one).
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])


def _slug(name: str) -> str:
    """A chart file's stem part for a target name: the engine's own naming."""
    from . import _core

    return _core.slug(name)
