"""The house in layers: import-linter's contracts hold, and break on one import that points
the wrong way; no module is long, no folder crowded. None of it touches the database."""

import ast
import collections
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "remixer"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES, MAX_MODULES, MAX_AT_ROOT = 400, 15, 10


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package and its contracts, to add a bad import to."""
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(PACKAGE, tree / "remixer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree)
    return tree


def test_the_contracts_hold_on_the_code_as_it_is() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("models/videos.py", "from remixer.web import videos", "Layers"),
        ("worker/pipeline.py", "from remixer.actions import jobs", "Layers"),
        ("web/keys.py", "from remixer.api import bodies", "siblings"),
        ("engine/__init__.py", "import django", "without Django"),
        ("lib/words.py", "from django.conf import settings", "without Django"),
    ],
)
def test_one_import_the_wrong_way_breaks_a_contract(
    scratch: Path, module: str, bad_import: str, contract: str
) -> None:
    path = scratch / "remixer" / module
    kept = path.read_text()
    path.write_text(f"{kept}\n{bad_import}  # noqa\n")
    try:
        result = lint_imports(scratch)
    finally:
        path.write_text(kept)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert dotted(module) in broken


def dotted(module: str) -> str:
    return "remixer." + module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def modules_of(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.py"))


def folders() -> list[Path]:
    found = [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
    return [f for f in found if f.name not in ("__pycache__", "migrations") and modules_of(f)]


def test_no_module_is_over_400_lines_tests_included() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in folders()
        for path in modules_of(folder)
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_folder_holds_more_than_15_modules_and_the_root_at_most_10() -> None:
    crowded = {
        str(folder.relative_to(ROOT)): count
        for folder in folders()
        if (count := len(modules_of(folder))) > MAX_MODULES
    }
    assert crowded == {}
    assert len(modules_of(PACKAGE)) <= MAX_AT_ROOT, [p.name for p in modules_of(PACKAGE)]


def test_no_two_classes_share_a_name() -> None:
    """Management commands are all `Command`, as Django looks them up; nothing else repeats
    (a model's choices, `Video.Status` and `Export.Status`, are named through their model)."""
    where = collections.defaultdict(list)
    for folder in folders():
        for path in modules_of(folder):
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.ClassDef) and node.name != "Command":
                    where[node.name].append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}
