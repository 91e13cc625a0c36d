"""An app server's process is ready before its first request (archive.process): every view is
imported at start-up, and what start-up made is frozen out of the garbage collector's walks,
which stalled 1 request in 100 by about 100 ms (docs/performance.md, "Garbage collection")."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
before = "works.api.v1" in sys.modules
import archive.wsgi
print(before, "works.api.v1" in sys.modules, "works.views" in sys.modules, gc.get_freeze_count())
"""


def test_the_wsgi_entry_point_loads_every_view_and_freezes_start_up():
    output = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    before, api_loaded, views_loaded, frozen = output
    assert (before, api_loaded, views_loaded) == ("False", "True", "True")
    assert int(frozen) > 50_000  # Django, the URLconf, the views and the API's schemas
