"""Benchmark: every active collaboration area x every candidate in Norway, in-process.

    python benchmarks/joining.py [--runs 5]

Prints the median wall time of ``all_joining(load_default())`` (including the corridor
graph and the extra-digging Dijkstra per area) and the number of rows.
"""

import argparse
import statistics
import time

import nettverk as nv
from nettverk.analyses.joining import all_joining


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ds = nv.load_default()
    times, n = [], 0
    for _ in range(args.runs):
        t = time.perf_counter()
        n = len(all_joining(ds))
        times.append(time.perf_counter() - t)
    print(
        f"all active areas x all candidates: {n} rows; median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}) over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
