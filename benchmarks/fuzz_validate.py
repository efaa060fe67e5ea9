"""Fuzz ``nettverk validate`` with seeded mutations of the embedded tables (prints a summary).

    python benchmarks/fuzz_validate.py [--n 500] [--start 0]

Each mutation (see ``tests/fuzzing.py``) breaks one table in a fresh folder; the answer must be
exit 0 or exit 2 with one line per problem, never a traceback. Failures are listed with their seed.
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

from nettverk.outputs.cli import main as cli  # noqa: E402
from tests.fuzzing import mutate  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--start", type=int, default=0)
    args = ap.parse_args()
    runner = CliRunner()
    codes, failures, kinds = collections.Counter(), [], collections.Counter()
    t = time.perf_counter()
    for seed in range(args.start, args.start + args.n):
        with tempfile.TemporaryDirectory() as d:
            what = mutate(Path(d), seed)
            kinds[what.split(" (")[0]] += 1
            res = runner.invoke(cli, ["validate", "--data", d])
            codes[res.exit_code] += 1
            bad = res.exit_code not in (0, 2) or (
                res.exception is not None and not isinstance(res.exception, SystemExit)
            )
            if bad:
                failures.append(f"{what}: exit {res.exit_code}: {res.exception!r}")
    print(
        f"{args.n} mutations in {time.perf_counter() - t:.0f} s; exit codes "
        f"{dict(sorted(codes.items()))}; "
        f"{len(failures)} failures"
    )
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
