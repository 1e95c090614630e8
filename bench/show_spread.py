#!/usr/bin/env python3
"""Times whole-schema `show --at SEQ` at evenly spaced points of a history, for two binaries.

A replay's length depends on how far SEQ is past the checkpoint before it, so one SEQ says
little about time travel in general. This script picks COUNT seqs spread over the last
FRACTION of the history, times `show --at` at each (RUNS rounds, alternating the two binaries
and the order of the seqs each round), and prints, per binary, the median at each seq, their
mean and the worst of them.

    python3 bench/show_spread.py --dir PROJECT_DIR NEW_BIN [OLD_BIN]

Each binary reads the project's index, so both must read its format (or give each its own
project with --old-dir).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def head_seq(binary: str, project: str) -> int:
    out = subprocess.run([binary, "--json", "log", "-n", "1"], cwd=project, check=True,
                         capture_output=True, text=True).stdout
    return int(json.loads(out)["commits"][0]["seq"])


def resolve(binary: str) -> str:
    """A binary given by a relative path still runs from inside the project directory."""
    return os.path.abspath(binary) if os.sep in binary else binary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new")
    parser.add_argument("old", nargs="?")
    parser.add_argument("--dir", required=True, help="the project directory")
    parser.add_argument("--old-dir", help="the old binary's project (default: --dir)")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--fraction", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    if opts.count < 1 or opts.runs < 1 or not 0 < opts.fraction <= 1:
        parser.error("--count and --runs must be positive, --fraction in (0, 1]")
    bins = [(resolve(opts.new), opts.dir)]
    if opts.old:
        bins.append((resolve(opts.old), opts.old_dir or opts.dir))
    if len(bins) == 2 and bins[0] == bins[1]:
        parser.error("give two different binaries, or two projects")
    head = head_seq(bins[0][0], opts.dir)
    first = max(1, int(head * (1 - opts.fraction)))
    step = (head - first) / opts.count
    seqs = [int(first + step * (i + 0.5)) for i in range(opts.count)]
    times = [{s: [] for s in seqs} for _ in bins]
    for r in range(opts.runs):
        order = seqs if r % 2 == 0 else list(reversed(seqs))
        for s in order:
            turn = list(range(len(bins)))
            for i in (turn if (r + s) % 2 == 0 else turn[::-1]):
                binary, project = bins[i]
                start = time.perf_counter()
                subprocess.run([binary, "show", "--at", str(s)], cwd=project, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[i][s].append((time.perf_counter() - start) * 1000)
    print(f"seqs: {' '.join(str(s) for s in seqs)} (head {head})")
    for i, (binary, project) in enumerate(bins):
        medians = [statistics.median(times[i][s]) for s in seqs]
        print(f"{binary} in {project}: mean of medians {statistics.mean(medians):.1f} ms, worst "
              f"{max(medians):.1f} ms; per seq {' '.join(f'{m:.0f}' for m in medians)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
