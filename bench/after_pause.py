#!/usr/bin/env python3
"""Times one strata command after an idle pause and again right after, pair by pair.

Some virtual machines hand memory the guest frees back to their host a few seconds later; the
next process that needs that much fresh memory then waits for the host to supply it again,
page by page, while the kernel zeroes it. Back-to-back runs (hyperfine, bench/alternate.py)
rarely see that; a person who pauses between commands always does. Each round sleeps for
--pause seconds, runs the command, and runs it again at once; the report gives the medians of
wall, system and user time of the first runs and of the second.

    python3 bench/after_pause.py --dir PROJECT_DIR --rounds 14 --pause 2.5 BIN -- show --at 36266
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def timed(cmd: list, cwd: str) -> tuple:
    """Wall, system and user milliseconds of one run; exits when the command fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"after_pause.py: {' '.join(cmd)} exited {done.returncode}: "
                 f"{done.stderr.decode(errors='replace').strip()}")
    return (wall, (after.ru_stime - before.ru_stime) * 1000,
            (after.ru_utime - before.ru_utime) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--dir", required=True, help="the project directory the command runs in")
    parser.add_argument("--rounds", type=int, default=14)
    parser.add_argument("--pause", type=float, default=2.5, help="idle seconds before each round")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then the strata arguments")
    opts = parser.parse_args()
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    if not args:
        parser.error("give the strata command after --")
    binary = os.path.abspath(opts.binary) if os.sep in opts.binary else opts.binary
    cmd = [binary] + args
    first, again = [], []
    for _ in range(opts.rounds):
        time.sleep(opts.pause)
        first.append(timed(cmd, opts.dir))
        again.append(timed(cmd, opts.dir))
    for name, runs in ((f"after {opts.pause:g} s idle", first), ("run again at once", again)):
        wall, system, user = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"{name:>20}: wall median {wall:.1f} ms, system {system:.1f} ms, "
              f"user {user:.1f} ms ({len(runs)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
