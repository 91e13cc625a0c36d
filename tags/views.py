"""Tag pages (placeholder until built)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


tag_detail = tag_works = _todo
