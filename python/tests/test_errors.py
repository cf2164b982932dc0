"""Bad input raises the package's exceptions with what the command line says, never a crash."""

import pytest

import diffusion_sim as ds
from conftest import REPO, WORKED, worked_year

BAD = """[scenario]
name = "bad"
start_year = 2025.0
end_year = 2060.0

[hardware]
flop_per_dollar = 6.7e16
doubling_time_years = -2.5
"""


def test_a_scenario_error_carries_file_line_column_and_key():
    with pytest.raises(ds.ScenarioError) as caught:
        ds.validate(BAD)
    e = caught.value
    assert (e.file, e.line, e.key) == ("<stdin>", 8, "hardware.doubling_time_years")
    assert e.column == 23
    assert "doubling_time_years" in str(e) and str(e).startswith("<stdin>:8:23")
    assert isinstance(e, ds.InputError) and isinstance(e, ValueError)


def test_an_error_in_an_override_names_it():
    with pytest.raises(ds.ScenarioError) as caught:
        ds.run(WORKED, overrides={"hardware.doubling_time_years": -1}, charts=False)
    assert caught.value.set == "hardware.doubling_time_years=-1"
    assert caught.value.line is None


def test_a_missing_file_and_a_bad_flag_are_input_errors(tmp_path):
    with pytest.raises(ds.ScenarioError, match="cannot read the file"):
        ds.run(tmp_path / "missing.toml")
    with pytest.raises(ds.InputError, match="samples"):
        ds.run(WORKED, samples=0)
    with pytest.raises(ds.InputError, match="whole number"):
        ds.run(WORKED, samples=1.5)
    with pytest.raises(ds.InputError, match="finite"):
        ds.run(WORKED, overrides={"costs.overhead": float("nan")})
    with pytest.raises(ds.InputError, match="no None"):
        ds.run({"scenario": {"name": None}})
    with pytest.raises(TypeError):
        ds.run(42)


def test_validate_lists_the_inputs_overrides_take():
    text = ds.validate(WORKED, overrides={"hardware.doubling_time_years": "2 to 3"})
    assert "hardware.doubling_time_years" in text


def test_execute_is_the_command_line():
    assert "Usage" in ds.execute(["--help"])
    with pytest.raises(ds.InputError, match="unrecognized subcommand"):
        ds.execute(["frobnicate"])


def test_a_likely_unit_mistake_is_a_warning_and_the_run_goes_on():
    slow = {**WORKED, "hardware": {**WORKED["hardware"], "doubling_time_years": 18}}
    with pytest.warns(ds.ScenarioWarning, match="if you meant 18 months, write 1.5 years"):
        result = ds.run(slow, charts=False)
    # The run used 18 years, as the file says.
    assert result.summary["affordability"][0]["year"]["p50"] == pytest.approx(
        worked_year(doubling=18), abs=1e-6
    )


def test_ctrl_c_stops_a_run_and_leaves_no_output(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    code = (
        # Ctrl-C as a terminal delivers it: a process started in the background of a
        # non-interactive shell (a CI script run with `&`) inherits SIGINT ignored, and Python
        # then leaves it ignored.
        "import signal\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import diffusion_sim as ds\n"
        f"ds.run({str(REPO / 'scenarios' / 'baseline.toml')!r}, samples=10**9, out={str(out)!r})\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        assert child.poll() is None, child.stderr.read()
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        # A run that did not stop must not outlive the test.
        child.kill()
    assert "KeyboardInterrupt" in stderr, stderr
    assert time.monotonic() - started < 30
    assert not out.exists()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ds.run(WORKED, samples=float("nan")), "samples must be a whole number ≥ 1, got nan"),
        (lambda: ds.run(WORKED, samples=float("inf")), "samples must be a whole number ≥ 1, got inf"),
        (lambda: ds.run(WORKED, samples=-5), "samples must be a whole number ≥ 1, got -5"),
        (lambda: ds.run(WORKED, samples=True), "samples must be a whole number ≥ 1, got True"),
        (lambda: ds.run(WORKED, seed=-1), "seed must be a whole number ≥ 0, got -1"),
        (lambda: ds.run(WORKED, threads=-1), "threads must be a whole number ≥ 1, got -1"),
        (lambda: ds.compare(WORKED, budgets=[1e6], samples=-5), "samples must be a whole number ≥ 1"),
        (lambda: ds.sensitivity(WORKED, seed=-1), "seed must be a whole number ≥ 0"),
        (lambda: ds.sensitivity(WORKED, top=-1), "top must be a whole number ≥ 1, got -1"),
        (
            lambda: ds.sweep(WORKED, lhs={"hardware.doubling_time_years": (2, 3)}, points=-3),
            "points must be a whole number ≥ 1, got -3",
        ),
        (
            lambda: ds.sweep(WORKED, grid={"hardware.doubling_time_years": [2, 3]}, samples=float("nan")),
            "samples must be a whole number ≥ 1",
        ),
        (
            lambda: ds.sweep(WORKED, lhs={"hardware.doubling_time_years": (True, 3)}, points=2),
            "must be a number, not True",
        ),
        (lambda: ds.run(WORKED, overrides=["costs.overhead=2"]), "overrides takes a dict"),
        (lambda: ds.run(WORKED, overrides="costs.overhead=2"), "overrides takes a dict"),
        (lambda: ds.validate(WORKED, overrides=[("costs.overhead", 2)]), "overrides takes a dict"),
        (lambda: ds.sweep(WORKED, grid=["hardware.doubling_time_years"]), "grid takes a dict"),
    ],
)
def test_a_bad_count_or_overrides_names_the_argument_and_what_it_takes(call, message):
    # The package's own error (not a ValueError or OverflowError from int(), nor the command
    # line's advice on hyphens), naming the argument.
    with pytest.raises(ds.InputError) as caught:
        call()
    assert message in str(caught.value)
    assert "tip" not in str(caught.value) and "--" not in str(caught.value)
