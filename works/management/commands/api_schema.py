"""Print or write the API's OpenAPI schema (issue 21).

    manage.py api_schema            # print it
    manage.py api_schema --write    # write docs/api/openapi-v1.json and record its version

The schema is written in English with sorted keys, so the file changes only when the API does.
`--write` refuses to record a changed schema under a version already recorded in
docs/api/versions.txt: bump `VERSION` in works/api/v1.py first (tests/api/test_schema_contract.py
fails until then).
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from works.api.v1 import VERSION, api

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "api" / "openapi-v1.json"
VERSIONS = Path(settings.BASE_DIR) / "docs" / "api" / "versions.txt"


def schema_text() -> str:
    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def recorded_versions() -> dict[str, str]:
    """docs/api/versions.txt: one "<version> <sha256 of the schema>" line per version."""
    if not VERSIONS.exists():
        return {}
    pairs = (line.split() for line in VERSIONS.read_text().splitlines() if line.strip())
    return {version: sha for version, sha in pairs}


class Command(BaseCommand):
    help = "Print the API's OpenAPI schema, or write docs/api/openapi-v1.json with --write."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true")

    def handle(self, *args, write=False, **options):
        text = schema_text()
        if not write:
            self.stdout.write(text, ending="")
            return
        recorded = recorded_versions()
        if recorded.get(VERSION, digest(text)) != digest(text):
            raise CommandError(
                f"The schema changed but version {VERSION} is already recorded with another "
                "schema: bump VERSION in works/api/v1.py (minor for an addition, a new /api/v2/ "
                "for a breaking change), then run this again."
            )
        SNAPSHOT.write_text(text)
        if VERSION not in recorded:
            with VERSIONS.open("a") as versions:
                versions.write(f"{VERSION} {digest(text)}\n")
        self.stdout.write(f"Wrote {SNAPSHOT} (version {VERSION}).")
