"""Code outside remixer/providers/ asks a provider what it can do (providers/kinds.py), never
which kind it is: no branch on `Provider.kind` anywhere else in the product. None of it
touches the database."""

import re
from pathlib import Path

from django.conf import settings

from remixer.models import Provider
from remixer.providers.kinds import KINDS

ROOT = Path(settings.BASE_DIR)  # holds remixer/ and templates/
SKIPPED = {"providers", "migrations", "tests"}  # remixer/'s folders the rule leaves alone
ASKS_THE_KIND = re.compile(r"is_local|Kind\.LOCAL|Kind\.HTTP|Provider\.Kind|provider__kind")
# The model keeps the choices, the field's default and its row of the built-in engine
# (`Provider.default()`): the migrations read the choices there, and models may not import
# providers. Each allowed line is named in full, so a new branch in that file is still found.
ALLOWED = {
    (
        "remixer/models/providers.py",
        "kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HTTP)",
    ),
    ("remixer/models/providers.py", 'kind=cls.Kind.LOCAL, defaults={"name": "Local engine"}'),
}


def product_files(root: Path) -> list[Path]:
    """The product's code and templates: remixer/ less the folders skipped, and templates/."""
    package = root / "remixer"
    code = [p for p in package.rglob("*.py") if p.relative_to(package).parts[0] not in SKIPPED]
    return sorted(code + list((root / "templates").rglob("*.html")))


def kind_questions(root: Path) -> list[str]:
    """file:line and the line, for each line outside providers/ that asks which kind."""
    found = []
    for path in product_files(root):
        name = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ASKS_THE_KIND.search(line) and (name, line.strip()) not in ALLOWED:
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_nothing_outside_providers_asks_which_kind_a_provider_is() -> None:
    found = kind_questions(ROOT)
    assert not found, "Ask the provider what it can do (providers/kinds.py):\n" + "\n".join(found)


def test_the_rule_names_each_branch_on_the_kind_outside_providers(tmp_path: Path) -> None:
    files = {
        "remixer/worker/steps.py": "def first(video):\n    return video.provider.is_local\n",
        "remixer/api/names.py": "ENTRIES = CatalogEntry.objects.filter(provider__kind='local')\n",
        "remixer/providers/kinds.py": "LOCAL = Provider.Kind.LOCAL\n",
        "remixer/tests/test_it.py": "assert provider.kind == Provider.Kind.LOCAL\n",
        "remixer/models/providers.py": (
            '    kind=cls.Kind.LOCAL, defaults={"name": "Local engine"}\n'
            "    if self.kind == self.Kind.HTTP:\n"
        ),
        "templates/video.html": "<p>\n{% if remix_to.is_local %}{% endif %}\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert kind_questions(tmp_path) == [
        "remixer/api/names.py:1: ENTRIES = CatalogEntry.objects.filter(provider__kind='local')",
        "remixer/models/providers.py:2: if self.kind == self.Kind.HTTP:",
        "remixer/worker/steps.py:2: return video.provider.is_local",
        "templates/video.html:2: {% if remix_to.is_local %}{% endif %}",
    ]


def test_every_kind_on_the_field_says_what_it_can_do() -> None:
    assert set(KINDS) == set(Provider.Kind.values)


def test_one_module_of_the_product_imports_requests() -> None:
    """Every provider's HTTP calls go through the thin transport (providers/transport.py)."""
    importing = re.compile(r"^\s*(import requests\b|from requests\b)", re.MULTILINE)
    package = ROOT / "remixer"
    found = [
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*.py")
        if path.relative_to(package).parts[0] != "tests" and importing.search(path.read_text())
    ]
    assert found == ["remixer/providers/transport.py"]
