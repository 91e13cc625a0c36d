"""Dependencies point one way: works -> tags -> archive.

archive (the site-wide base: users, accounts, moderation of users, settings, the root URLconf)
imports neither tags nor works; tags imports nothing of works. Both talk to works through
their signals (archive.signals, tags.signals), which works answers. Imports of project code
inside functions are allowed only where Django requires them, each listed below with the
reason.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("archive", "tags", "works")

# What each app must never import (at module level or inside a function).
FORBIDDEN = {"archive": {"tags", "works"}, "tags": {"works"}}

# (module path, imported module) -> why Django needs the import inside a function.
FUNCTION_IMPORTS_ALLOWED = {
    ("archive/apps.py", "archive.services.moderation"): (
        "a post_migrate receiver defined in apps.py: the models the service imports are not "
        "loaded when apps.py is"
    ),
    ("archive/apps.py", "archive.checks"): "system checks are registered in AppConfig.ready()",
    ("archive/apps.py", "archive.backends"): (
        "the account cache's save and delete receivers need the user model: AppConfig.ready()"
    ),
    ("archive/apps.py", "archive.models"): (
        "the default pseud's post_save receiver is connected in AppConfig.ready()"
    ),
    ("archive/apps.py", "archive.queue"): "the task queue needs the models: AppConfig.ready()",
    ("works/apps.py", "works.cache"): "signal receivers are connected in AppConfig.ready()",
    ("works/apps.py", "works.services"): "signal receivers are connected in AppConfig.ready()",
}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imports(tree: ast.Module):
    """(imported name, at module level?, line) for every absolute or relative import."""
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names = [f"{base}.{alias.name}".replace("..", ".") for alias in node.names]
        else:
            continue
        for name in names:
            yield name, id(node) in top_level, node.lineno


def _project_imports(app: str):
    for path in _modules(app):
        relative = path.relative_to(ROOT).as_posix()
        for name, module_level, line in _imports(ast.parse(path.read_text(), relative)):
            if name.startswith(".") or name.split(".")[0] in APPS:
                yield relative, name, module_level, line


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_apps_do_not_import_the_apps_built_on_them(app):
    offending = [
        f"{path}: {name}"
        for path, name, _module_level, _line in _project_imports(app)
        if name.split(".")[0] in FORBIDDEN[app]
    ]
    assert not offending, f"{app} must not import {sorted(FORBIDDEN[app])}: {offending}"


def test_every_app_module_was_read():
    """The checks above read real files (a wrong root would pass them vacuously)."""
    counted = {app: len(list(_modules(app))) for app in APPS}
    assert all(count >= 5 for count in counted.values()), counted


def _allowed(path: str, name: str) -> bool:
    return any(
        path == allowed_path and (name == allowed or name.startswith(allowed + "."))
        for allowed_path, allowed in FUNCTION_IMPORTS_ALLOWED
    )


def test_project_code_is_imported_inside_functions_only_where_django_requires_it():
    per_module: dict[str, dict[int, list[str]]] = {}  # path -> import statement line -> names
    for app in APPS:
        for path, name, module_level, line in _project_imports(app):
            if not module_level and not _allowed(path, name):
                per_module.setdefault(path, {}).setdefault(line, []).append(name)
    unexplained = [
        f"{path}: {sorted(statements.values())}" for path, statements in sorted(per_module.items())
    ]
    assert not unexplained, (
        "Import these at module level, or add them to FUNCTION_IMPORTS_ALLOWED with the reason "
        f"Django needs them inside a function: {unexplained}"
    )
