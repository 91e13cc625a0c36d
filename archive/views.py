"""Site-wide pages (placeholder until built)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


home = signup = login = logout = user_dashboard = user_pseud = _todo
