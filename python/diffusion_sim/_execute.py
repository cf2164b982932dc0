"""Running one command line in process, with its warnings as Python warnings."""

from __future__ import annotations

import warnings
from typing import Optional, Sequence

from . import _core


class ScenarioWarning(UserWarning):
    """A likely mistake in a scenario (e.g. a unit), as the command line warns on stderr."""


def execute(argv: Sequence[str], stdin: Optional[str] = None) -> str:
    """Runs one command line (without the program name) as ``diffusion-sim`` would; returns its
    stdout. Warnings become :class:`ScenarioWarning`; failures raise :class:`InputError`,
    :class:`ScenarioError` or :class:`RunError`; Ctrl-C stops it and leaves its outputs as they
    were."""
    stdout, notes = _core.execute([str(a) for a in argv], stdin)
    for note in notes:
        warnings.warn(note, ScenarioWarning, stacklevel=3)
    return stdout
