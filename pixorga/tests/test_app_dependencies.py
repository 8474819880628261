"""Apps depend one way: accounts ← organizations ← invitations, organizations ← students ← content ← campaigns ←
assessments, and the demo above them all. Every import of an app's code (function-level ones too) is read with
``ast``; an arrow that runs back fails here, naming the file and the line.

Tests and migrations are left out: the shared fixtures put people in schools for every app's tests, and
migrations name other apps as strings. ``pixorga`` is the project (settings, URLs, shared helpers): any app may use
it, and its own code imports no app (the URLs name the apps' URL modules as strings).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app and the apps it may import.
ALLOWED = {
    "accounts": set(),
    "organizations": {"accounts"},
    "invitations": {"accounts", "organizations"},
    "students": {"accounts", "organizations"},
    "content": {"accounts", "organizations", "students"},
    "campaigns": {"accounts", "organizations", "students", "content"},
    "assessments": {"accounts", "organizations", "students", "content", "campaigns"},
    # make demo's school: it fills every app through its services.
    "demo": {"accounts", "organizations", "invitations", "students", "content", "campaigns", "assessments"},
}


def app_imports(app: str, root: Path = ROOT) -> list[tuple[str, int, str]]:
    """``(file, line, imported app)`` for every import of another app in ``app``'s code."""
    found = []
    for source in sorted((root / app).rglob("*.py")):
        parts = source.relative_to(root / app).parts
        if parts[0] in ("tests", "migrations"):
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                imported = module.split(".")[0]
                if imported in ALLOWED and imported != app:
                    found.append((str(source.relative_to(root)), node.lineno, imported))
    return found


def back_imports(app: str, root: Path = ROOT) -> list[str]:
    return [f"{file}:{line} imports {imported}" for file, line, imported in app_imports(app, root)
            if imported not in ALLOWED[app]]


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    assert back_imports(app) == []


def test_the_project_package_imports_no_app():
    assert app_imports("pixorga") == []


def test_every_app_of_the_project_is_in_the_layering():
    from django.conf import settings

    project_apps = {name for name in settings.INSTALLED_APPS if (ROOT / name / "apps.py").exists()} - {"pixorga"}
    assert project_apps == set(ALLOWED)


def test_a_back_import_is_found_even_inside_a_function(tmp_path):
    for app in ALLOWED:
        (tmp_path / app).mkdir()
    (tmp_path / "students" / "selectors.py").write_text(
        "from organizations.models import Organization\n\n"
        "def learner_list():\n    from campaigns.models import Participation\n    return Participation\n"
    )
    (tmp_path / "students" / "tests").mkdir()
    (tmp_path / "students" / "tests" / "test_x.py").write_text("import campaigns.factories\n")

    assert back_imports("students", tmp_path) == ["students/selectors.py:4 imports campaigns"]
