"""Health checks for load balancers: /health (the process answers) and /ready (it can work)."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """Liveness: no database, no cache; the process is up and serving."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    """Readiness: the database and the cache answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = "unavailable"
    try:
        key = f"ready-check:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=5)
        checks["cache"] = "ok" if cache.get(key) == "1" else "unavailable"
        cache.delete(key)
    except Exception:  # noqa: BLE001
        checks["cache"] = "unavailable"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
