"""The floors of DESIGN.md hold, and an upward import is caught with its name (import-linter, as in CI)."""

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
