"""A longer seeded fuzz of the command line than CI runs (prints what failed, if anything).

    python benchmarks/fuzz_cli.py --runs 2000 [--start 200]

Each seed draws a command from ``tests/cli_fuzz.py``. A run fails when the CLI answers with a
traceback, an exit code other than 0 or 2, or exit 2 without exactly one ``Error`` line.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from nettverk.outputs.cli import main  # noqa: E402
from tests.cli_fuzz import command  # noqa: E402


def main_() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--start", type=int, default=200, help="first seed (CI runs 0-199)")
    args = ap.parse_args()
    runner = CliRunner()
    codes: collections.Counter = collections.Counter()
    failures = []
    t0 = time.perf_counter()
    for seed in range(args.start, args.start + args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            argv = command(seed, Path(tmp))
            res = runner.invoke(main, argv)
        codes[res.exit_code] += 1
        errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error")]
        bad = (
            res.exit_code not in (0, 2)
            or "Traceback" in res.output
            or (res.exception is not None and not isinstance(res.exception, SystemExit))
            or (res.exit_code == 2 and len(errors) != 1)
        )
        if bad:
            failures.append((seed, argv, repr(res.exception)[:200]))
    dt = time.perf_counter() - t0
    print(f"{args.runs} runs (seeds {args.start}-{args.start + args.runs - 1}) in {dt:.0f} s")
    print("exit codes:", dict(sorted(codes.items())))
    print(f"failures: {len(failures)}")
    for seed, argv, exc in failures[:20]:
        print(f"  seed {seed}: {' '.join(argv)} -> {exc}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main_())
