"""diffusion-sim from Python: when does a capability that only the frontier can afford today
come within reach of each class of actor?

Each function runs the command-line tool's command of the same name in process, on the same
engine (a compiled Rust extension), and reads its files back: tables as pandas DataFrames,
JSON as dicts, charts as the PNG and SVG files the command line draws. The numbers are the
command line's for the same scenario, seed and samples.

    import diffusion_sim as ds
    r = ds.run("scenarios/baseline.toml", samples=20_000, seed=1)
    r.times                               # DataFrame: median year and interval per target × class
    r.plot_cost("GPT-4 level")            # shows inline in Jupyter
    ds.run(..., client=dask_client)       # the same numbers, computed on a Dask cluster
"""

from ._core import InputError, RunError, ScenarioError, __version__
from ._execute import ScenarioWarning, execute
from ._commands import (
    compare,
    merge,
    run,
    sensitivity,
    sweep,
    validate,
)
from ._results import Chart, CompareResult, Output, RunResult, SweepResult

__all__ = [
    "Chart",
    "CompareResult",
    "InputError",
    "Output",
    "RunError",
    "RunResult",
    "ScenarioError",
    "ScenarioWarning",
    "SweepResult",
    "__version__",
    "compare",
    "execute",
    "merge",
    "run",
    "sensitivity",
    "sweep",
    "validate",
]
