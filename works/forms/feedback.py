"""Forms for reader feedback: comments, bookmarks, and naming a user to block or mute."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archive import spam
from works.forms.pseuds import pseud_choice
from works.models.feedback import (
    BOOKMARK_NOTES_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    GUEST_NAME_MAX_LENGTH,
)


class CommentForm(forms.Form):
    content = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": _(
                "Brevity is the soul of wit, but we need your comment to have text in it."
            ),
        },
    )

    def __init__(self, *args, guest: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["name"] = forms.CharField(
                label=_("Guest name"), max_length=GUEST_NAME_MAX_LENGTH
            )
            self.fields["email"] = forms.EmailField(label=_("Guest email (not shown)"))
            self.order_fields(["name", "email", "content"])
            spam.add_spam_fields(self)  # honeypot + minimum time on the page (archive/spam.py)
        self.guest = guest

    def clean(self):
        data = super().clean()
        if self.guest:
            spam.check_spam(self, texts=[data.get("content") or ""])
        return data


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=BOOKMARK_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
    tags = forms.CharField(
        label=_("Your tags"),
        required=False,
        max_length=2000,
        help_text=_("Comma separated, 150 characters per tag."),
    )
    private = forms.BooleanField(label=_("Private bookmark"), required=False)
    rec = forms.BooleanField(label=_("Rec"), required=False)

    def __init__(self, *args, user, pseud=None, **kwargs):
        super().__init__(*args, **kwargs)
        # AO3's bookmark[pseud_id]: a select when the user has several pseuds, else hidden.
        self.fields["pseud"] = pseud_choice(user, label=_("Bookmarker's pseud"), initial=pseud)

    def add_prefix(self, field_name):
        return "bookmark[pseud_id]" if field_name == "pseud" else super().add_prefix(field_name)
