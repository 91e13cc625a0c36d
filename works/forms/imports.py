"""The import form (/works/import): files to read, and how to post what they hold.

It validates only: which files, how many and how large, the choices; reading and posting
is works/services/imports.py's `import_uploads`. Another kind of source (work URLs, pasted
story text, works/importing/sources.py) is one more field here, read in `sources()`.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from works.forms.pseuds import pseud_choice

MAX_FILES = 20
MAX_FILE_SIZE = 5 * 1024 * 1024
# What one request may carry: deploy/nginx.conf lets 10 MB through.
MAX_TOTAL_SIZE = 9 * 1024 * 1024
ACCEPT = ".html,.htm,.epub,text/html,application/epub+zip"

POST_NOW, SAVE_DRAFTS = "post", "draft"
OWN_WORK, IMPORTED_WORK = "own", "imported"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "HTML (.html) or EPUB (.epub) downloads of works, as AO3 or this archive makes "
            "them; up to 20 files of at most 5 MB each."
        ),
    )
    post = forms.ChoiceField(
        label=_("When imported"),
        choices=[(SAVE_DRAFTS, _("Save as drafts")), (POST_NOW, _("Post now"))],
        initial=SAVE_DRAFTS,
        widget=forms.RadioSelect,
    )
    credit = forms.ChoiceField(
        label=_("Whose work"),
        choices=[
            (OWN_WORK, _("My own work")),
            (IMPORTED_WORK, _("Imported work: credit the original creator")),
        ],
        initial=OWN_WORK,
        widget=forms.RadioSelect,
        help_text=_(
            "An imported work names its original creator and links where it came from. "
            "Import other people's works only with their permission."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pseud"] = pseud_choice(user, label=_("Creator/Pseud"))
        self.order_fields(["files", "pseud", "post", "credit"])

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                ngettext(
                    "Import at most %(max)d file at once.",
                    "Import at most %(max)d files at once.",
                    MAX_FILES,
                )
                % {"max": MAX_FILES},
                code="too_many_files",
            )
        errors = [
            forms.ValidationError(
                _("“%(name)s” is %(size)s; a file can be at most %(max)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(MAX_FILE_SIZE),
                },
                code="file_too_large",
            )
            for upload in files
            if upload.size > MAX_FILE_SIZE
        ]
        if errors:
            raise forms.ValidationError(errors)
        if sum(upload.size for upload in files) > MAX_TOTAL_SIZE:
            raise forms.ValidationError(
                _("These files come to more than %(max)s: import them in smaller batches.")
                % {"max": filesizeformat(MAX_TOTAL_SIZE)},
                code="too_much",
            )
        return files

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("files"):
            self.add_error("files", _("Choose at least one file to import."))
        return cleaned

    def sources(self) -> list[tuple[str, bytes]]:
        """(name, content) of every source to import, in the order given."""
        return [(upload.name, upload.read()) for upload in self.cleaned_data.get("files", [])]

    def choices(self) -> dict:
        """The import service's keyword arguments from the choices made."""
        return {
            "pseud": self.cleaned_data.get("pseud"),
            "post": self.cleaned_data["post"] == POST_NOW,
            "as_imported": self.cleaned_data["credit"] == IMPORTED_WORK,
        }
