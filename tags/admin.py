"""Tag wrangling in the admin.

Every change a wrangler makes here, from the change form or from an action, goes through
tags.services, so the works' filter rows stay exact and bad input is refused with the
service's message (shown next to the field, or as an admin message) while nothing changes.

Wranglers are staff users in the "Tag wrangler" group (tags/migrations/0003): they may view
and change tags and view works, nothing else.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django.db.models.functions import Lower
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from archive.errors import Refused
from tags import services
from tags.models import Tag, TagType
from tags.querysets import wrangled_q

FANDOM_FILTER_CHOICES = 100


class WrangledFilter(admin.SimpleListFilter):
    """Wrangled or not, as defined by TagQuerySet.wrangled()."""

    title = _("wrangled")
    parameter_name = "wrangled"

    def lookups(self, request, model_admin):
        return [("yes", _("Wrangled")), ("no", _("Not wrangled"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.wrangled()
        if self.value() == "no":
            return queryset.not_wrangled()
        return queryset


class FandomFilter(admin.SimpleListFilter):
    """Tags whose parents include a chosen fandom. The most used fandoms are offered; any
    fandom id works in the address (`?fandom=<id>`)."""

    title = _("fandom")
    parameter_name = "fandom"

    def lookups(self, request, model_admin):
        fandoms = Tag.objects.filter(type=TagType.FANDOM, canonical=True).order_by(
            "-work_count", Lower("name")
        )[:FANDOM_FILTER_CHOICES]
        return [(str(fandom.pk), fandom.name) for fandom in fandoms]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            fandom_id = int(value)
        except ValueError:
            return queryset.none()
        through = Tag.parents.through
        return queryset.filter(
            Exists(through.objects.filter(from_tag=OuterRef("pk"), to_tag_id=fandom_id))
        )


class TagAdminForm(forms.ModelForm):
    """The change form checks the whole wanted state with the wrangling rules first."""

    class Meta:
        model = Tag
        fields = ["name", "type", "canonical", "merger", "unwrangleable", "parents", "meta_tags"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.errors:
            return cleaned
        problems = services.tag_update_problems(
            tag=self.instance,
            name=cleaned.get("name", ""),
            canonical=cleaned.get("canonical", False),
            merger=cleaned.get("merger"),
            unwrangleable=cleaned.get("unwrangleable", False),
            parents=cleaned.get("parents") or [],
            meta_tags=cleaned.get("meta_tags") or [],
        )
        for field, messages_ in problems.items():
            for message in messages_:
                self.add_error(field, message)
        return cleaned

    def validate_unique(self):
        # The services check names (ignoring case) with a clearer message.
        if self.instance.pk is None:
            super().validate_unique()


class TagChoiceForm(forms.Form):
    """The intermediate page of an action: the tag the selected tags are wrangled to."""

    tag = forms.CharField(max_length=200)

    def __init__(self, *args, label, tag_types=None, canonical=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].label = label
        self.fields["tag"].widget.attrs.update({"autocomplete": "off"})
        self.tag_types = tag_types
        self.canonical = canonical

    def clean_tag(self):
        name = self.cleaned_data["tag"].strip()
        tag = Tag.objects.named(name).first()
        if tag is None:
            raise ValidationError(gettext("There is no tag named “%(name)s”.") % {"name": name})
        if self.tag_types and tag.type not in self.tag_types:
            raise ValidationError(
                gettext("“%(name)s” is a %(type)s tag.")
                % {"name": tag.name, "type": tag.get_type_display()}
            )
        if self.canonical and not tag.canonical:
            raise ValidationError(
                gettext("“%(name)s” is not canonical: choose a canonical tag.") % {"name": tag.name}
            )
        return tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = (
        "name",
        "type",
        "canonical",
        "merger",
        "unwrangleable",
        "is_wrangled",
        "work_count",
    )
    list_filter = ("type", "canonical", WrangledFilter, FandomFilter, "unwrangleable")
    search_fields = ("name",)
    list_select_related = ("merger",)
    autocomplete_fields = ("merger", "parents", "meta_tags")
    ordering = ("name",)
    list_per_page = 100
    actions = (
        "make_canonical",
        "make_synonym",
        "add_parent_fandom",
        "add_meta_tag",
        "mark_unwrangleable",
        "merge_tags",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_placement()
        return queryset.annotate(
            wrangled_flag=ExpressionWrapper(wrangled_q(), output_field=BooleanField())
        )

    # --- the change form ----------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "type", "canonical"]
        return [
            "name",
            "type",
            "canonical",
            "merger",
            "unwrangleable",
            "parents",
            "meta_tags",
            "synonym_list",
            "sub_tag_list",
            "work_count",
            "links",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["type", "synonym_list", "sub_tag_list", "work_count", "links"]

    @admin.display(description=_("synonyms"))
    def synonym_list(self, tag):
        return ", ".join(t.name for t in tag.synonyms.order_by(Lower("name"))) or "–"

    @admin.display(description=_("sub tags"))
    def sub_tag_list(self, tag):
        return ", ".join(t.name for t in tag.sub_tags.order_by(Lower("name"))) or "–"

    @admin.display(description=_("links"))
    def links(self, tag):
        links = [
            (tag.get_absolute_url(), gettext("Tag page")),
            (tag.get_works_url(), gettext("Works")),
        ]
        if tag.type == TagType.FANDOM and tag.canonical:
            links.append(
                (reverse("works:tag_unwrangled", args=[tag.url_name]), gettext("Unwrangled tags"))
            )
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("wrangled"), boolean=True, ordering="wrangled_flag")
    def is_wrangled(self, tag):
        return tag.wrangled_flag

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
        # Changes to an existing tag are made by tag_update() in save_related().

    def save_related(self, request, form, formsets, change):
        if not change:
            return super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        services.tag_update(
            tag=form.instance,
            name=data["name"],
            canonical=data["canonical"],
            merger=data["merger"],
            unwrangleable=data["unwrangleable"],
            parents=data["parents"],
            meta_tags=data["meta_tags"],
        )

    def delete_model(self, request, obj):
        services.tag_delete(tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.tag_delete(tag=tag)

    # --- actions ------------------------------------------------------------------------

    def _each(self, request, queryset, change, success):
        """Apply `change(tag)` to each selected tag; refusals are reported, not applied."""
        done = 0
        for tag in queryset:
            try:
                change(tag)
            except Refused as refused:
                self.message_user(
                    request,
                    gettext("%(tag)s: %(error)s Nothing was changed for this tag.")
                    % {"tag": tag.name, "error": refused.message},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, success(done), messages.SUCCESS)

    def _with_chosen_tag(self, request, queryset, *, title, label, tag_types, canonical, apply):
        """Show the intermediate page until a valid tag is chosen, then apply."""
        form = TagChoiceForm(
            request.POST if "apply" in request.POST else None,
            label=label,
            tag_types=tag_types,
            canonical=canonical,
        )
        if form.is_bound and form.is_valid():
            apply(form.cleaned_data["tag"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "tags": queryset,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "tags/admin/action_form.html", context)

    @admin.action(description=_("Make canonical"), permissions=["change"])
    def make_canonical(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda tag: services.tag_set_canonical(tag=tag, canonical=True),
            lambda n: (
                ngettext("%(n)d tag made canonical.", "%(n)d tags made canonical.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Make synonym of a chosen tag…"), permissions=["change"])
    def make_synonym(self, request, queryset):
        def apply(target):
            self._each(
                request,
                queryset,
                lambda tag: services.tag_make_synonym(tag=tag, canonical=target),
                lambda n: (
                    ngettext(
                        "%(n)d tag made a synonym of %(target)s.",
                        "%(n)d tags made synonyms of %(target)s.",
                        n,
                    )
                    % {"n": n, "target": target.name}
                ),
            )

        return self._with_chosen_tag(
            request,
            queryset,
            title=gettext("Make synonym of a canonical tag"),
            label=gettext("Canonical tag"),
            tag_types=None,
            canonical=False,
            apply=apply,
        )

    @admin.action(description=_("Add parent fandom…"), permissions=["change"])
    def add_parent_fandom(self, request, queryset):
        def apply(fandom):
            self._each(
                request,
                queryset,
                lambda tag: services.tag_add_parent(tag=tag, parent=fandom),
                lambda n: (
                    ngettext(
                        "%(n)d tag placed in %(fandom)s.", "%(n)d tags placed in %(fandom)s.", n
                    )
                    % {"n": n, "fandom": fandom.name}
                ),
            )

        return self._with_chosen_tag(
            request,
            queryset,
            title=gettext("Add a parent fandom"),
            label=gettext("Fandom"),
            tag_types={TagType.FANDOM},
            canonical=False,
            apply=apply,
        )

    @admin.action(description=_("Add meta tag…"), permissions=["change"])
    def add_meta_tag(self, request, queryset):
        def apply(meta):
            self._each(
                request,
                queryset,
                lambda tag: services.tag_add_meta(tag=tag, meta=meta),
                lambda n: (
                    ngettext(
                        "%(meta)s is now a meta tag of %(n)d tag.",
                        "%(meta)s is now a meta tag of %(n)d tags.",
                        n,
                    )
                    % {"n": n, "meta": meta.name}
                ),
            )

        return self._with_chosen_tag(
            request,
            queryset,
            title=gettext("Add a meta tag"),
            label=gettext("Meta tag"),
            tag_types=None,
            canonical=False,
            apply=apply,
        )

    @admin.action(description=_("Mark unwrangleable"), permissions=["change"])
    def mark_unwrangleable(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda tag: services.tag_set_unwrangleable(tag=tag, unwrangleable=True),
            lambda n: (
                ngettext("%(n)d tag marked unwrangleable.", "%(n)d tags marked unwrangleable.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("Merge: move all works to a chosen tag…"), permissions=["change"])
    def merge_tags(self, request, queryset):
        def apply(target):
            self._each(
                request,
                queryset,
                lambda tag: services.tag_merge(source=tag, target=target),
                lambda n: (
                    ngettext(
                        "The works of %(n)d tag moved to %(target)s.",
                        "The works of %(n)d tags moved to %(target)s.",
                        n,
                    )
                    % {"n": n, "target": target.name}
                ),
            )

        return self._with_chosen_tag(
            request,
            queryset,
            title=gettext("Merge into another tag"),
            label=gettext("Tag to move the works to"),
            tag_types=None,
            canonical=False,
            apply=apply,
        )
