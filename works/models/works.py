"""Works, chapters, their stats, series and collections.

Author text is stored as written (Markdown or HTML) next to its rendered, sanitised `*_html`
twin; `save()` derives the HTML, the word count and the render version from the same row.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from tags.models import Tag, TagType
from works.languages import LANGUAGES, language_name
from works.models.visibility import ChapterQuerySet, WorkQuerySet
from works.rendering import RENDER_VERSION, count_words, render_markdown, render_summary

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
    summary_html = models.TextField(blank=True, editable=False)
    notes = models.TextField(_("Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False)
    endnotes = models.TextField(_("End Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    endnotes_html = models.TextField(blank=True, editable=False)
    render_version = models.PositiveSmallIntegerField(default=0, editable=False)

    language = models.CharField(_("Language"), max_length=8, choices=LANGUAGES, default="en")
    creators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="WorkCreator", related_name="works"
    )
    tags = TaggableManager(through="TaggedWork", blank=True)

    expected_chapters = models.PositiveIntegerField(
        _("expected chapters"), null=True, blank=True, help_text=_("Blank means unknown (?).")
    )
    # Derived from the posted chapters by services.work_refresh(); stored for listings.
    chapter_count = models.PositiveIntegerField(default=0, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    is_complete = models.BooleanField(default=False, editable=False)

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    def is_creator(self, user):
        if not user.is_authenticated:
            return False
        return any(creator.pk == user.pk for creator in self.creators.all())


class WorkCreator(models.Model):
    """A work's creators, in byline order."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_creators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creatorships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "user"], name="uniq_work_creator")]

    def __str__(self):
        return f"{self.user} on work {self.work_id}"


class TaggedWork(TaggedItemBase):
    """The tags an author put on a work (the source of truth for display and wrangling)."""

    # No single-column indexes: the unique (work, tag) and the (tag, work) index cover both.
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_works", db_index=False
    )
    content_object = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="taggings", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="uniq_work_tag")
        ]
        indexes = [models.Index(fields=["tag", "content_object"])]


class FilterTagging(models.Model):
    """Materialised filter rows: every canonical tag a work can be found under.

    For each tag on the work: its canonical form (the tag itself, or its merger) and all its
    meta tags, transitively. Kept exact by tags.filtering whenever a work's tags change or a
    tag is wrangled, so that "works in tag X" is one indexed lookup.
    """

    # No single-column indexes: the unique (work, tag) and the (tag, work) index cover both.
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="uniq_filter_tagging")]
        indexes = [models.Index(fields=["tag", "work"])]

    def __str__(self):
        return f"work {self.work_id} under tag {self.tag_id}"


class Chapter(RenderedTextMixin, models.Model):
    rendered_fields = {
        "body": "markdown",
        "summary": "summary",
        "notes": "markdown",
        "endnotes": "markdown",
    }

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("Chapter Title"), max_length=TITLE_MAX_LENGTH, blank=True)
    summary = models.TextField(_("Chapter Summary"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    summary_html = models.TextField(blank=True, editable=False)
    notes = models.TextField(_("Chapter Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False)
    endnotes = models.TextField(_("Chapter End Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    endnotes_html = models.TextField(blank=True, editable=False)
    body = models.TextField(_("Work Text"), max_length=CHAPTER_MAX_LENGTH)
    body_html = models.TextField(blank=True, editable=False)
    render_version = models.PositiveSmallIntegerField(default=0, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    posted = models.BooleanField(_("posted"), default=False)
    published_at = models.DateField(_("Published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["work", "posted", "position"])]

    def __str__(self):
        return self.full_title

    def save(self, *args, **kwargs):
        self.render_text()
        self.word_count = count_words(self.body_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def full_title(self):
        base = _("Chapter %(number)s") % {"number": self.position}
        return f"{base}: {self.title}" if self.title else str(base)


class WorkStats(models.Model):
    """Counters kept apart from the work row, updated with F() so they never rewrite it."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    hits = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)
    subscriptions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("work stats")
        verbose_name_plural = _("work stats")

    def __str__(self):
        return f"stats of work {self.work_id}"


class Series(RenderedTextMixin, models.Model):
    rendered_fields = {"description": "markdown", "notes": "markdown"}

    title = models.CharField(_("Series Title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Description"), blank=True, max_length=NOTES_MAX_LENGTH)
    description_html = models.TextField(blank=True, editable=False)
    notes = models.TextField(_("Notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_html = models.TextField(blank=True, editable=False)
    render_version = models.PositiveSmallIntegerField(default=0, editable=False)
    creators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="series")
    is_complete = models.BooleanField(_("Complete"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:series", args=[self.pk])


class SeriesWork(models.Model):
    """A work's place in a series ("Part 2 of ...")."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="series_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_works")
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "work"], name="uniq_series_work")]

    def __str__(self):
        return f"work {self.work_id} in series {self.series_id} (part {self.position})"


class Collection(RenderedTextMixin, models.Model):
    rendered_fields = {"description": "markdown", "rules": "markdown"}

    name = models.SlugField(_("Collection name"), max_length=255, unique=True)
    title = models.CharField(_("Display title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("Description"), blank=True, max_length=NOTES_MAX_LENGTH)
    description_html = models.TextField(blank=True, editable=False)
    rules = models.TextField(_("Rules"), blank=True, max_length=NOTES_MAX_LENGTH)
    rules_html = models.TextField(blank=True, editable=False)
    render_version = models.PositiveSmallIntegerField(default=0, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent collection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_collections"
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="moderated_collections", blank=True
    )
    is_moderated = models.BooleanField(_("Moderated"), default=False)
    is_closed = models.BooleanField(_("Closed"), default=False)
    is_anonymous = models.BooleanField(_("Anonymous"), default=False)
    is_unrevealed = models.BooleanField(_("Unrevealed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:collection", args=[self.name])


class CollectionItem(models.Model):
    """A work in a collection. It shows there only once both sides have agreed."""

    class Approval(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="collection_items")
    collection_approval = models.CharField(
        max_length=16, choices=Approval.choices, default=Approval.APPROVED
    )
    author_approval = models.CharField(
        max_length=16, choices=Approval.choices, default=Approval.APPROVED
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "work"], name="uniq_collection_work")
        ]

    def __str__(self):
        return f"work {self.work_id} in collection {self.collection_id}"

    @property
    def is_approved(self):
        return (
            self.collection_approval == self.Approval.APPROVED
            and self.author_approval == self.Approval.APPROVED
        )


class CollectionPrompt(models.Model):
    """A prompt a collection lists (a prompt-type tag with its day or number)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="prompts")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="collection_prompts")
    position = models.PositiveIntegerField(_("day or number"), default=1)
    title = models.CharField(_("prompt"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "tag"], name="uniq_collection_prompt")
        ]

    def __str__(self):
        return self.tag.name
