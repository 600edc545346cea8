"""The floors of docs/architecture.md hold, and an upward import is caught with its name (import-linter, as in CI)."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


def _copy(tmp_path: Path) -> Path:
    for package in _packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_every_package_keeps_to_its_floor():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout


def test_an_upward_import_fails_and_is_named(tmp_path):
    tree = _copy(tmp_path)
    people = tree / "beneficiaries" / "selectors.py"
    people.write_text("from reports.selectors import journey  # noqa\n" + people.read_text())
    tools = tree / "core" / "excel.py"
    tools.write_text("from audit.services import audit_record  # noqa\n" + tools.read_text())

    result = _lint(tree)

    assert result.returncode == 1
    assert "beneficiaries.selectors -> reports.selectors" in result.stdout
    assert "core.excel -> audit.services" in result.stdout
    assert "The ground floor (core) imports no app BROKEN" in result.stdout


def _cycles(tree: Path) -> list[tuple[str, str]]:
    """Pairs of modules that import each other, directly or through others — function-level imports included."""
    code = (
        "import grimp, json, sys; g = grimp.build_graph(*sys.argv[1:]); pairs = set()\n"
        "for m in g.modules:\n"
        "    for i in g.find_modules_directly_imported_by(m):\n"
        "        if g.find_shortest_chain(importer=i, imported=m): pairs.add(tuple(sorted((m, i))))\n"
        "print(json.dumps(sorted(pairs)))"
    )
    result = subprocess.run([sys.executable, "-c", code, *_packages()], cwd=tree, capture_output=True, text=True,
                            check=True)  # fmt: skip
    return [tuple(pair) for pair in __import__("json").loads(result.stdout)]


def test_no_module_imports_one_that_imports_it_back():
    """No circle of imports, even through a function-level import (a task module imports its service, never the
    other way round; the pure rule modules import no model)."""
    assert _cycles(ROOT) == []


def test_a_circle_is_found(tmp_path):
    tree = _copy(tmp_path)
    service = tree / "jobs" / "services.py"
    service.write_text(service.read_text() + "\n\ndef _circle():\n    from jobs import tasks  # noqa: F401\n")
    assert ("jobs.services", "jobs.tasks") in _cycles(tree)
