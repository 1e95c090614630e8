#!/usr/bin/env python3
"""Times two strata binaries on one command, alternating them run by run.

On a shared or virtualised machine the load drifts over a minute, and timing all runs of one
binary before all runs of the other (as hyperfine does) moves that drift into the comparison.
Alternating the order each round puts both binaries under the same drift; medians and lower
quartiles are then comparable even when the means are not. Beside the wall time it reports the
median CPU time (user + system) of each run and its voluntary context switches (a thread that
waits for another). Last, it pairs the two runs of each round, which ran seconds apart, and
reports the median of their differences: the figure least moved by a host whose load changes
over minutes.

    python3 bench/alternate.py --dir PROJECT_DIR --runs 60 NEW_BIN OLD_BIN -- show --at 36266
    python3 bench/alternate.py --dir PROJECT_DIR --runs 6 --fresh-index NEW_BIN OLD_BIN -- log -n 1

--fresh-index deletes the project's index before each run, to time the first index build.
--old-dir gives the old binary a project of its own (say, the same log indexed with other
settings); both run in --dir otherwise.
"""
import argparse
import glob
import os
import resource
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
    parser.add_argument("--old-dir", help="the old binary's project directory (default: --dir)")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--fresh-index", action="store_true",
                        help="delete the project's index before each run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then the strata arguments")
    opts = parser.parse_args()
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    if not args:
        parser.error("give the strata arguments after --")
    opts.new, opts.old = resolve(opts.new), resolve(opts.old)
    same_dir = os.path.abspath(opts.old_dir or opts.dir) == os.path.abspath(opts.dir)
    if opts.new == opts.old and same_dir:
        parser.error("give two different binaries, or two project directories")
    sides = ("new", "old")
    binaries = {"new": opts.new, "old": opts.old}
    dirs = {"new": opts.dir, "old": opts.old_dir or opts.dir}
    runs = {"new": [], "old": []}  # (wall ms, CPU ms, voluntary switches) per run
    for i in range(opts.runs):
        order = sides if i % 2 == 0 else sides[::-1]
        for side in order:
            binary, project = binaries[side], dirs[side]
            if opts.fresh_index:
                for f in glob.glob(os.path.join(project, ".strata", "index.sqlite*")):
                    os.remove(f)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([binary, *args], cwd=project, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
            runs[side].append((wall, cpu, after.ru_nvcsw - before.ru_nvcsw))
    for label in sides:
        t = sorted(r[0] for r in runs[label])
        cpu = statistics.median(r[1] for r in runs[label])
        switches = statistics.median(r[2] for r in runs[label])
        print(f"{label}: median {statistics.median(t):.1f} ms, lower quartile "
              f"{t[(len(t) - 1) // 4]:.1f} ms, min {t[0]:.1f} ms ({len(t)} runs); CPU median "
              f"{cpu:.1f} ms, voluntary context switches median {switches:g}")
    # Round by round: both runs of a round met nearly the same load.
    wall = [n[0] - o[0] for n, o in zip(runs["new"], runs["old"])]
    cpu = [n[1] - o[1] for n, o in zip(runs["new"], runs["old"])]
    faster = sum(1 for d in wall if d < 0)
    print(f"paired: new - old median {statistics.median(wall):+.1f} ms wall, "
          f"{statistics.median(cpu):+.1f} ms CPU; new faster in {faster} of {len(wall)} rounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
