"""Works: the work row, its creators and its counters, and what chapters, series and
collections share (the length limits, the comment permission, rendering text on save).

Author text is stored as written (Markdown or HTML) next to its rendered, sanitised `*_html`
twin; `save()` derives the HTML, the word count and the render version from the same row.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from tags.models import TagType
from works.languages import LANGUAGES, language_name
from works.models.visibility import WorkQuerySet
from works.rendering import RENDER_VERSION, render_markdown, render_summary

TITLE_MAX_LENGTH = 255
SUMMARY_MAX_LENGTH = 1250
NOTES_MAX_LENGTH = 5000
CHAPTER_MAX_LENGTH = 510000


class CommentPermission(models.TextChoices):
    EVERYONE = "everyone", _("Registered users and guests can comment")
    REGISTERED = "registered", _("Only registered users can comment")
    NOBODY = "nobody", _("No one can comment")


class RenderedTextMixin:
    """Fills each `<field>_html` from `<field>` on save. `rendered_fields` maps source field to
    renderer name in works.rendering."""

    rendered_fields: dict[str, str] = {}

    def render_text(self):
        renderers = {"markdown": render_markdown, "summary": render_summary}
        for field, renderer in self.rendered_fields.items():
            setattr(self, f"{field}_html", renderers[renderer](getattr(self, field) or ""))
        self.render_version = RENDER_VERSION


class Work(RenderedTextMixin, models.Model):
    rendered_fields = {"summary": "summary", "notes": "markdown", "endnotes": "markdown"}

    title = models.CharField(_("Work Title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("Summary"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    summary_html = models.TextField(blank=True, editable=False, verbose_name=_("Summary"))
    notes = models.TextField(_("Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False, verbose_name=_("Notes"))
    endnotes = models.TextField(_("End Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    endnotes_html = models.TextField(blank=True, editable=False, verbose_name=_("End notes"))
    render_version = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("Renderer version")
    )

    language = models.CharField(_("Language"), max_length=8, choices=LANGUAGES, default="en")
    creators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="WorkCreator",
        related_name="works",
        verbose_name=_("Creators"),
    )
    # The same creatorships seen as pseuds: what bylines show (prefetch "pseuds__user", or
    # visibility.BYLINE_PSEUDS). `creators` stays for who may edit and who sees what.
    pseuds = models.ManyToManyField(
        "archive.Pseud",
        through="WorkCreator",
        related_name="works",
        verbose_name=_("Pseuds"),
    )
    tags = TaggableManager(through="TaggedWork", blank=True)

    expected_chapters = models.PositiveIntegerField(
        _("expected chapters"), null=True, blank=True, help_text=_("Blank means unknown (?).")
    )
    # Derived from the posted chapters by services.work_refresh(); stored for listings.
    chapter_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("Chapters")
    )
    word_count = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("Words"))
    is_complete = models.BooleanField(default=False, editable=False, verbose_name=_("Complete"))

    posted = models.BooleanField(_("posted"), default=False, db_index=True)
    restricted = models.BooleanField(
        _("Only show to registered users"),
        default=False,
    )
    hidden_by_moderator = models.BooleanField(_("hidden by moderator"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    comment_permission = models.CharField(
        _("Who can comment on this work"),
        max_length=16,
        choices=CommentPermission.choices,
        default=CommentPermission.EVERYONE,
    )
    moderate_comments = models.BooleanField(_("Enable comment moderation"), default=False)

    published_at = models.DateField(_("Published"), null=True, blank=True)
    revised_at = models.DateTimeField(_("Updated"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Updated"))
    # A work imported for its original creator (works/services/imports.py, as_imported=True):
    # where it was and whom it credits. The work page says so above the work ("Imported
    # from <url>, originally posted by <name>"), as AO3 does for works it imported.
    imported_from_url = models.URLField(_("Imported from"), max_length=2000, blank=True)
    imported_creator = models.CharField(
        _("Originally posted by"), max_length=TITLE_MAX_LENGTH, blank=True
    )

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["-revised_at", "-id"]
        indexes = [models.Index(fields=["posted", "hidden_by_moderator", "-revised_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:detail", args=[self.pk])

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def chapters_display(self):
        """AO3's Chapters stat: "2/5", or "2/?" when the total is unknown."""
        expected = self.expected_chapters if self.expected_chapters else "?"
        return f"{self.chapter_count}/{expected}"

    @property
    def is_multichapter(self):
        return self.expected_chapters != 1 or self.chapter_count > 1

    def tags_by_type(self):
        """Prefetched tags grouped in AO3's display order: {TagType: [tags]}."""
        groups = {tag_type: [] for tag_type in TagType}
        for tag in sorted(self.tags.all(), key=lambda t: t.name.lower()):
            groups[TagType(tag.type)].append(tag)
        return groups

    def creator_ids(self) -> set[int]:
        """The ids of the work's creators (one query, whatever was prefetched)."""
        return set(WorkCreator.objects.filter(work=self).values_list("user_id", flat=True))

    def is_creator(self, user):
        """Reads `self.pseuds` (prefetch bylines.creators_with_bylines())."""
        if not user.is_authenticated:
            return False
        return any(pseud.user_id == user.pk for pseud in self.pseuds.all())


class WorkCreator(models.Model):
    """A work's creators, in byline order: the pseud it is posted under, and that pseud's user
    kept alongside (denormalised, never different from `pseud.user`) so that visibility,
    listings and the presort SQL keep joining one table on `user_id` (docs/decisions.md)."""

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="work_creators", verbose_name=_("Work")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="creatorships",
        verbose_name=_("User"),
    )
    pseud = models.ForeignKey(
        "archive.Pseud",
        on_delete=models.RESTRICT,
        related_name="creatorships",
        verbose_name=_("Pseud"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("Position"))

    class Meta:
        verbose_name = _("work creator")
        verbose_name_plural = _("work creators")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "user"], name="uniq_work_creator")]

    def __str__(self):
        return f"{self.user} on work {self.work_id}"


class WorkStats(models.Model):
    """Counters kept apart from the work row, updated with F() so they never rewrite it."""

    work = models.OneToOneField(
        Work,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stats",
        verbose_name=_("Work"),
    )
    hits = models.PositiveIntegerField(default=0, verbose_name=_("Hits"))
    kudos = models.PositiveIntegerField(default=0, verbose_name=_("Kudos"))
    comments = models.PositiveIntegerField(default=0, verbose_name=_("Comments"))
    bookmarks = models.PositiveIntegerField(default=0, verbose_name=_("Bookmarks"))
    subscriptions = models.PositiveIntegerField(default=0, verbose_name=_("Subscriptions"))

    class Meta:
        verbose_name = _("work stats")
        verbose_name_plural = _("work stats")

    def __str__(self):
        return f"stats of work {self.work_id}"
