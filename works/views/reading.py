"""Reading works (placeholder until built)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


work_list = work_detail = work_navigate = chapter_detail = work_download = _todo
series_detail = collection_detail = collection_works = _todo
