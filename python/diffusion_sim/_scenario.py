"""A scenario as the package takes it: a path, TOML text or a dict."""

from __future__ import annotations

import json
import math
import numbers
import os
from pathlib import Path
from typing import Any, Mapping, Optional, Tuple, Union

from . import _core

Scenario = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def source(scenario: Scenario) -> Tuple[str, Optional[str]]:
    """The command-line argument for `scenario` and the text `-` stands for (if any).

    A path (``str`` or ``os.PathLike``) is passed as a path, so errors and the manifest name the
    file. A ``str`` holding a line break is TOML text; a ``dict`` is written as TOML.
    """
    if isinstance(scenario, Mapping):
        return "-", _core.toml_from_json(json.dumps(_plain(scenario), allow_nan=False))
    if isinstance(scenario, os.PathLike):
        return os.fspath(scenario), None
    if isinstance(scenario, str):
        if "\n" in scenario:
            return "-", scenario
        return scenario, None
    raise TypeError(
        f"scenario must be a path, TOML text or a dict, not {type(scenario).__name__}"
    )


def text_of(scenario: Scenario) -> str:
    """The TOML text of `scenario` (a path is read)."""
    arg, text = source(scenario)
    if text is not None:
        return text
    return Path(arg).read_text(encoding="utf-8")


def _plain(value: Any) -> Any:
    """`value` with tuples as lists and NaN or infinities refused (TOML has no null)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    value = scalar(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise _core.InputError(f"a scenario value must be a finite number, not {value}")
    return value


def scalar(value: Any) -> Any:
    """`value` as the plain Python value it stands for: a number of any kind (``numbers.Real``,
    e.g. numpy's ``float64`` and ``int64``, or a 0-d array) as an ``int`` or ``float``, numpy's
    ``bool_`` as a ``bool``; anything else as it is. numpy is not needed (duck typing)."""
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", None) == 0:
        plain = item()
        if isinstance(plain, (bool, int, float)):
            return plain
    return value


def number_text(value: Any, what: str) -> str:
    """A number (of any kind, see :func:`scalar`; not a bool) as the text the engine parses to
    the same f64: ``repr`` of the float, or an integer's digits when it fits in 64 bits (the
    engine's TOML integers) and its nearest float otherwise (e.g. a FLOP count of ``10**25``).
    `what` names the value in the :class:`InputError` for anything else."""
    value = scalar(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _core.InputError(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return str(value)
        try:
            value = float(value)
        except OverflowError:
            raise _core.InputError(f"{what} is out of range: numbers must be below 1.8e308 in size") from None
    if not math.isfinite(value):
        raise _core.InputError(f"{what} must be a finite number, not {value}")
    return repr(value)


def set_args(overrides: Optional[Mapping[str, Any]]) -> list:
    """``--set KEY=VALUE`` arguments for a dict of dotted keys and values."""
    if overrides is None:
        return []
    if not isinstance(overrides, Mapping):
        raise _core.InputError(
            "overrides takes a dict of dotted keys and values, e.g. "
            f'{{"hardware.doubling_time_years": 2.5}}, not a {type(overrides).__name__}'
        )
    args = []
    for key, value in overrides.items():
        args += ["--set", f"{key}={toml_value(value)}"]
    return args


def toml_value(value: Any) -> str:
    """A Python value as TOML value text, as ``--set`` reads it (numbers of any kind, see
    :func:`number_text`)."""
    value = scalar(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value, "an override")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(
        f"an override value must be a str, number, bool or list, not {type(value).__name__}"
    )
