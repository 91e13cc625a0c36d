"""A database check that `migrate` runs first: no squashed migration is half applied.

A squashed migration (`replaces`) stands in for the migrations it replaced once their files
are gone. A database that applied only some of them would have the rest skipped without an
error (archive's 0003 squash replaced five migrations; see docs/decisions.md, "Migrations"),
so `migrate` stops and says what to do instead.
"""

from django.core import checks
from django.db import connections
from django.db.migrations.loader import MigrationLoader


@checks.register(checks.Tags.database)
def squashed_migrations_fully_applied(databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        loader = MigrationLoader(connections[alias])
        for (app_label, name), migration in sorted(loader.replacements.items()):
            applied = [key for key in migration.replaces if key in loader.applied_migrations]
            if applied and len(applied) < len(migration.replaces):
                errors.append(
                    checks.Error(
                        f"Database {alias!r} applied only some of the migrations that "
                        f"{app_label}.{name} replaces: {sorted(applied)}.",
                        hint="Migrate it with the code from before the squash first "
                        "(commit 1aead22), then with this code.",
                        id="archive.E001",
                    )
                )
    return errors
