"""Getting an app server's process ready before its first request.

Python's cyclic garbage collector now and then walks every object the process holds. After
start-up that is some 180,000 objects (Django, the URLconf and every view, the API's schemas)
that live as long as the process, and each full walk of them stalled a request by 80 to 120
ms: 1 request in 100 of the API's works list at 1,000,000 works (docs/performance.md,
"Garbage collection"). `ready()` imports every view now rather than on the first request, then
freezes what start-up made: the collector leaves those objects alone from then on and walks
only what requests make.
"""

import gc

from django.urls import get_resolver


def ready() -> None:
    """Load the URLconf (and so every view), collect start-up's garbage, and move the rest
    out of the collector's reach (gc.freeze). Called once by archive.wsgi and archive.asgi,
    after Django is set up; in gunicorn's worker, or before the fork with --preload."""
    get_resolver().url_patterns  # noqa: B018 - imports every URL module and view
    gc.collect()
    gc.freeze()
