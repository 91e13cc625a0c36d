"""Migrations are frozen: none imports the project's own code, which can change after the
migration ran (the SQL, names and permissions they need are written out in the file). And
`migrate` refuses a database that applied only part of a squashed migration."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"archive", "works", "tags"}
MIGRATIONS = sorted(
    path
    for package in sorted(PROJECT_PACKAGES)
    for path in (ROOT / package / "migrations").glob("[0-9]*.py")
)


def project_imports(source: str) -> list[str]:
    """The modules of this project that `source` imports, at any depth (inside functions
    too); a relative import always counts."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append("." * node.level + (node.module or ""))
                continue
            modules = [node.module or ""]
        else:
            continue
        found += [module for module in modules if module.split(".")[0] in PROJECT_PACKAGES]
    return found


def test_the_check_finds_project_imports():
    source = (
        "import django.db\nimport works.models\n"
        "def f():\n    from tags.fixed import RATINGS\n    from ..models import Tag\n"
    )
    assert project_imports(source) == ["works.models", "tags.fixed", "..models"]


def test_every_app_has_migrations_to_check():
    assert {path.parent.parent.name for path in MIGRATIONS} == PROJECT_PACKAGES


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_migration_imports_no_project_code(path):
    assert project_imports(path.read_text()) == []


@pytest.mark.django_db
def test_migrate_stops_on_a_half_applied_squash():
    from django.db.migrations.recorder import MigrationRecorder

    from archive.checks import squashed_migrations_fully_applied

    assert squashed_migrations_fully_applied(databases=["default"]) == []
    MigrationRecorder.Migration.objects.filter(app="archive", name="0005_feedback").delete()
    [error] = squashed_migrations_fully_applied(databases=["default"])
    assert error.id == "archive.E001"
    assert "archive.0003_mutes_feedback_moderator_group" in error.msg
