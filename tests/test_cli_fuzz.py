"""A seeded fuzz of the command line: 200 random command lines, never a traceback.

More seeds: ``python benchmarks/fuzz_cli.py --runs 2000``.
"""

from __future__ import annotations

import pytest

from nettverk.outputs.cli import main

from .cli_fuzz import command

SEEDS = range(200)


@pytest.mark.parametrize("seed", SEEDS)
def test_fuzzed_command_line_never_gives_a_traceback(runner, tmp_path, seed):
    argv = command(seed, tmp_path)
    res = runner.invoke(main, argv)
    assert res.exit_code in (0, 2), (argv, res.output[-2000:], res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), (argv, res.exception)
    assert "Traceback" not in res.output, argv
    if res.exit_code == 2:
        errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error")]
        assert len(errors) == 1, (argv, res.stderr)
