"""`python -m tests.bench.generate --works N`: set Django up, then run the command line."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
django.setup()

from tests.bench.generate.cli import main  # noqa: E402 (models need Django set up first)

sys.exit(main())
