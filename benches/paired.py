#!/usr/bin/env python3
"""Paired timing of two commands on a shared, noisy machine.

    benches/paired.py [-n RUNS] [--warmup W] 'COMMAND A' 'COMMAND B'

Runs A and B in turn (A B A B ...), RUNS pairs after W warm-up pairs that are not counted, and
takes the ratio A/B pair by pair: a drift of the machine's speed during the call moves both
commands of a pair alike, so the ratios stay meaningful where the times do not. Each command is
run by `sh -c` with its output thrown away; its wall time is read around it, its user and system
time and peak memory from the kernel's accounting of the finished process (os.wait4).

Prints min, median and max of each figure and of the ratios; quote the median.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run(command):
    """Runs `command` once: (wall s, cpu s, peak MiB, exit status)."""
    start = time.monotonic()
    child = subprocess.Popen(
        ["sh", "-c", command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024.0, child.returncode


def spread(values):
    """min, median and max, formatted."""
    return "{:10.4f} {:10.4f} {:10.4f}".format(
        min(values), statistics.median(values), max(values)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=5, help="pairs counted (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="pairs not counted (default 1)")
    parser.add_argument("a", help="command A (one string, run by sh -c)")
    parser.add_argument("b", help="command B, the yardstick")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")

    figures = {"A": [], "B": []}
    for i in range(args.warmup + args.runs):
        for name, command in (("A", args.a), ("B", args.b)):
            wall, cpu, peak, code = run(command)
            if code != 0:
                sys.exit(f"paired.py: command {name} exited with {code}: {command}")
            if i >= args.warmup:
                figures[name].append((wall, cpu, peak))

    print(f"{args.runs} pairs after {args.warmup} warm-up; min, median, max")
    for name in ("A", "B"):
        wall, cpu, peak = zip(*figures[name])
        print(f"{name} wall s   {spread(wall)}")
        print(f"{name} cpu s    {spread(cpu)}")
        print(f"{name} peak MiB {spread(peak)}")
    pairs = list(zip(figures["A"], figures["B"]))
    print(f"A/B wall     {spread([a[0] / b[0] for a, b in pairs])}")
    print(f"A/B cpu      {spread([a[1] / b[1] for a, b in pairs])}")


if __name__ == "__main__":
    main()
