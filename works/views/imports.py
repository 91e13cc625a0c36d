"""The import page (/works/import): upload AO3-style HTML or EPUB downloads, choose to post
them or keep them as drafts and whether they are the user's own or credit their original
creator; then see each imported work with what changed, and each file not imported with why.

The form validates (works/forms/imports.py); works/services/imports.py reads and posts each
source in its own transaction.
"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from archive.auth import login_required
from archive.services.moderation import writer_required
from works.forms.imports import ImportForm
from works.services.imports import import_uploads


@login_required
@writer_required
@require_http_methods(["GET", "POST"])
def work_import(request):
    outcomes = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            outcomes = import_uploads(form.sources(), user=request.user, **form.choices())
    else:
        form = ImportForm(user=request.user)
    context = {
        "form": form,
        "imported": [o for o in outcomes if o.work is not None],
        "failed": [o for o in outcomes if o.work is None],
    }
    return render(request, "works/import/work_import.html", context)
