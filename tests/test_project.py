"""The README's promises: the test command CI runs is the one the README shows."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quick, flags=re.S)


def test_quickstart_has_two_commands():
    cmds = _readme_commands()
    assert len(cmds) == 2
    assert "nettverk clusters" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci


def _ruff(*args: str):
    import shutil
    import subprocess
    import sys

    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run(
        [exe, *args, "src", "tests", "scripts", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_code_keeps_the_projects_line_length_and_lint_rules():
    """ruff with pyproject's rules (pycodestyle E and W with line-length 100, pyflakes F)."""
    res = _ruff("check", "--output-format", "concise")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-1000:]


def test_code_is_formatted():
    res = _ruff("format", "--check")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-1000:]


def test_public_functions_are_typed():
    """Every function a module exports (``__all__``) annotates its parameters and return."""
    import ast

    missing = []
    for path in sorted((ROOT / "src" / "nettverk").rglob("*.py")):
        if "cli" in path.parts:  # click commands take their types from the options
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "__all__" for t in node.targets
            ):
                exported = set(ast.literal_eval(node.value))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in exported:
                a = node.args
                params = (
                    a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
                )
                untyped = [p.arg for p in params if p.annotation is None]
                if untyped or node.returns is None:
                    missing.append(f"{path.name}:{node.lineno} {node.name} {untyped}")
    assert not missing, missing


#: Numeric kernels that stay whole: splitting them would scatter one loop's state.
LONG_KERNELS = {"key_path_exchange"}


def function_lengths() -> list[tuple[int, int, str]]:
    """(body lines without the docstring, lines in all, where) of every function in src/nettverk.

    The ten longest: ``python -c "from tests.test_project import function_lengths as f;
    print(*f()[:10], sep='\\n')"``.
    """
    import ast

    out = []
    for path in sorted((ROOT / "src" / "nettverk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                total = node.end_lineno - node.lineno + 1
                first = node.body[0]
                doc = (
                    first.end_lineno - first.lineno + 1
                    if isinstance(first, ast.Expr)
                    and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)
                    else 0
                )
                out.append((total - doc, total, f"{path.name}:{node.lineno} {node.name}"))
    return sorted(out, reverse=True)


def test_functions_are_short():
    """No function body over 80 lines (formatted, docstring not counted) but the numeric kernels."""
    long = [f for f in function_lengths() if f[0] > 80 and f[2].split()[-1] not in LONG_KERNELS]
    assert not long, long
