"""The import form (/works/import): what to read (files, work addresses, pasted story
text) and how to post what they hold.

It validates only: which files, how many and how large, how many addresses, the choices;
reading and posting is works/services/imports.py. Story text (a .txt file or the pasted
text) goes to the review step (works/forms/import_review.py) instead of being imported
at once; `ImportChoices` is the choices alone, which the review step asks again.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from works.forms.pseuds import pseud_choice
from works.importing.sources import is_story_text

MAX_FILES = 20
MAX_FILE_SIZE = 5 * 1024 * 1024
# What one request may carry: deploy/nginx.conf lets 10 MB through.
MAX_TOTAL_SIZE = 9 * 1024 * 1024
ACCEPT = ".html,.htm,.epub,.txt,text/html,application/epub+zip,text/plain"
MAX_URLS = 10
# Pasted story text, at most (a chapter may be 510,000 characters; a few of them).
MAX_TEXT_LENGTH = 2_000_000

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


class ImportChoices(forms.Form):
    """How to post what is imported: under which pseud, now or as drafts, whose work."""

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
        self.order_fields(["files", "urls", "text", "pseud", "post", "credit"])

    def choices(self) -> dict:
        """The import service's keyword arguments from the choices made."""
        return {
            "pseud": self.cleaned_data.get("pseud"),
            "post": self.cleaned_data["post"] == POST_NOW,
            "as_imported": self.cleaned_data["credit"] == IMPORTED_WORK,
        }


class ImportForm(ImportChoices):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "HTML (.html) or EPUB (.epub) downloads of works, as AO3 or this archive makes "
            "them, or a story's text (.txt); up to 20 files of at most 5 MB each."
        ),
    )
    urls = forms.CharField(
        label=_("URLs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "The addresses of works on this archive, AO3 or another archive built like it, "
            "one a line; up to 10. Only works anyone may read can be imported."
        ),
    )
    text = forms.CharField(
        label=_("Story text"),
        required=False,
        strip=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Paste a story as you kept it (title, summary, then chapters headed “Chapter 1”…), "
            "plain text or HTML. You check what was understood before anything is imported."
        ),
    )

    def clean_urls(self):
        urls = []
        for line in self.cleaned_data["urls"].splitlines():
            line = line.strip()
            if line and line not in urls:
                urls.append(line)
        if len(urls) > MAX_URLS:
            raise forms.ValidationError(
                ngettext(
                    "Import at most %(max)d address at once.",
                    "Import at most %(max)d addresses at once.",
                    MAX_URLS,
                )
                % {"max": MAX_URLS},
                code="too_many_urls",
            )
        return urls

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
        if self.errors:
            return cleaned
        if not (cleaned.get("files") or cleaned.get("urls") or cleaned.get("text", "").strip()):
            self.add_error(
                None, _("Choose a file, give a work's address or paste a story to import.")
            )
        elif len(self.story_texts()) > 1:
            self.add_error(
                None,
                _(
                    "Story text is checked one story at a time: choose one .txt file or paste "
                    "one story."
                ),
            )
        return cleaned

    def sources(self) -> list[tuple[str, bytes]]:
        """(name, content) of every file to import at once, in the order given."""
        return [(name, data) for name, data in self._files() if not is_story_text(name, data)]

    def story_texts(self) -> list[tuple[str, bytes | str]]:
        """(name, text) of the story text to review first: a .txt file or the pasted text."""
        found = [(name, data) for name, data in self._files() if is_story_text(name, data)]
        pasted = self.cleaned_data.get("text", "")
        if pasted.strip():
            found.append(("", pasted))
        return found

    def addresses(self) -> list[str]:
        return self.cleaned_data.get("urls", [])

    def _files(self) -> list[tuple[str, bytes]]:
        if not hasattr(self, "_read"):
            self._read = [
                (upload.name, upload.read()) for upload in self.cleaned_data.get("files", [])
            ]
        return self._read
