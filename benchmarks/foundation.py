"""Benchmark: cold `nettverk info` and in-process load_default() + municipality_graph().

    python benchmarks/foundation.py [--runs 5]

Prints the median wall time of each. The CLI is run as a fresh process every time (cold:
imports and data loading included).
"""

import argparse
import statistics
import subprocess
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cli = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nettverk.outputs.cli", "info"], check=True, capture_output=True
        )
        cli.append(time.perf_counter() - t)
    code = (
        "import time; t=time.perf_counter(); import nettverk as nv; ds=nv.load_default(); "
        "G=nv.municipality_graph(ds); print(time.perf_counter()-t)"
    )
    inproc = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
        inproc.append(float(out.stdout))
    print(
        f"cold `nettverk info`: median {statistics.median(cli):.3f} s (min {min(cli):.3f}) over "
        f"{args.runs} runs"
    )
    print(
        f"import + load_default() + municipality_graph(): median {statistics.median(inproc):.3f} s "
        f"(min {min(inproc):.3f}) over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
