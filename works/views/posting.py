"""Posting and editing works and chapters (placeholder until built)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


work_new = work_preview = work_edit = work_edit_tags = work_delete = _todo
chapter_new = chapter_manage = chapter_edit = chapter_delete = chapter_preview = _todo
