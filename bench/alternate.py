#!/usr/bin/env python3
"""Times two strata binaries on one command, alternating them run by run.

On a shared or virtualised machine the load drifts over a minute, and timing all runs of one
binary before all runs of the other (as hyperfine does) moves that drift into the comparison.
Alternating the order each round puts both binaries under the same drift; medians and lower
quartiles are then comparable even when the means are not.

    python3 bench/alternate.py --dir PROJECT_DIR --runs 60 NEW_BIN OLD_BIN -- show --at 36266
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def resolve(binary: str) -> str:
    """A binary given by a relative path still runs from inside the project directory."""
    return os.path.abspath(binary) if os.sep in binary else binary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new")
    parser.add_argument("old")
    parser.add_argument("--dir", required=True, help="the project directory the command runs in")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then the strata arguments")
    opts = parser.parse_args()
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    if not args:
        parser.error("give the strata arguments after --")
    opts.new, opts.old = resolve(opts.new), resolve(opts.old)
    if opts.new == opts.old:
        parser.error("give two different binaries")
    times = {opts.new: [], opts.old: []}
    for i in range(opts.runs):
        order = (opts.new, opts.old) if i % 2 == 0 else (opts.old, opts.new)
        for binary in order:
            start = time.perf_counter()
            subprocess.run([binary, *args], cwd=opts.dir, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[binary].append((time.perf_counter() - start) * 1000)
    for label, binary in (("new", opts.new), ("old", opts.old)):
        t = sorted(times[binary])
        print(f"{label}: median {statistics.median(t):.1f} ms, lower quartile "
              f"{t[(len(t) - 1) // 4]:.1f} ms, min {t[0]:.1f} ms ({len(t)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
