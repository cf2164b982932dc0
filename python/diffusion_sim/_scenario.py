"""A scenario as the package takes it: a path, TOML text or a dict."""

from __future__ import annotations

import json
import math
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
    if isinstance(value, float) and not math.isfinite(value):
        raise _core.InputError(f"a scenario value must be a finite number, not {value}")
    return value


def set_args(overrides: Optional[Mapping[str, Any]]) -> list:
    """``--set KEY=VALUE`` arguments for a dict of dotted keys and values."""
    args = []
    for key, value in (overrides or {}).items():
        args += ["--set", f"{key}={toml_value(value)}"]
    return args


def toml_value(value: Any) -> str:
    """A Python value as TOML value text, as ``--set`` reads it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _core.InputError(f"an override must be a finite number, not {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(
        f"an override value must be a str, number, bool or list, not {type(value).__name__}"
    )
