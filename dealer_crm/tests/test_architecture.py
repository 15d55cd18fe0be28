"""The structure CI holds the code to (docs/ARCHITECTURE.md): the import contracts and the test paths."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> str | None:
    beside_python = Path(sys.executable).with_name("lint-imports")
    return str(beside_python) if beside_python.exists() else shutil.which("lint-imports")


def test_the_import_contracts_hold():
    command = _lint_imports()
    if command is None:
        pytest.skip("import-linter is not installed (requirements-dev.txt)")
    result = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "3 kept, 0 broken" in result.stdout


def test_every_test_path_exists_and_every_test_lies_on_one():
    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    paths = config["pytest"]["testpaths"].split()
    assert [path for path in paths if not (ROOT / path).is_dir()] == []
    skipped = {".venv", "node_modules", "var", "staticfiles", "media", ".git"}
    outside = [
        str(test.relative_to(ROOT)) for test in ROOT.rglob("test_*.py")
        if not skipped & set(test.relative_to(ROOT).parts) and test.relative_to(ROOT).parts[0] not in paths
    ]
    assert outside == []


APPS = ("accounts", "benchmarks", "common", "dealer_crm", "dealers", "hq", "inventory", "notifications", "portal", "promotions",
        "rebates", "regions", "scorecards", "visits")
# Where an import inside a function is the point: AppConfig.ready() connects signals and fills
# registries once the apps are loaded; the benchmark tooling imports the apps it drives lazily.
LATE_IMPORTS_ALLOWED = ("apps.py", "benchmarks/")


def test_no_app_is_imported_inside_a_function():
    """An import hidden in a function body only dodges a cycle: the layers make it unneeded."""
    import ast

    late = []
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            relative = source.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or relative.endswith(LATE_IMPORTS_ALLOWED) or any(
                relative.startswith(allowed) for allowed in LATE_IMPORTS_ALLOWED
            ):
                continue
            tree = ast.parse(source.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in ast.walk(function):
                    names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                        [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
                    if any(name.split(".")[0] in APPS for name in names):
                        late.append(f"{relative}:{node.lineno}")
    assert late == []


MODULE_LINES_MAX = 520  # "no production module over ~500 lines": past it, a package by sub-domain


def test_no_production_module_is_over_about_500_lines():
    """A big module becomes a package by sub-domain with its public names re-exported from
    `__init__` (dealers/services/, dealers/models/, promotions/services/, ...)."""
    big = []
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            relative = source.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            lines = len(source.read_text(encoding="utf-8").splitlines())
            if lines > MODULE_LINES_MAX:
                big.append(f"{relative}: {lines}")
    assert big == []
