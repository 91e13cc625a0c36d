"""The archive's JSON API (issue 21), served at /api/v1/ by django-ninja (docs/decisions.md).

- `v1`: the NinjaAPI instance, its version and the routers of each area;
- `auth`: who is asking (a personal access token, the site's own session, or a guest) and the
  scopes a handler requires (`require_scope`);
- `problems`: every error as application/problem+json, with the forms' field messages;
- `limits`: rate limits per token and per address (429 with Retry-After);
- one module per area (`me`, `works`, `chapters`, `tags`, …), each a `router`, reading through
  the same querysets and visibility rules as the pages and writing through the same services.

docs/api.md is the guide for people writing programs against it.
"""
