"""Forms of a gift exchange's assignments (issue 20, part 4).

- `FulfilForm`: the posting form's "Does this fulfill a challenge assignment?" choice, shown
  beside the work form (its own form, so the work form itself is unchanged): the writer's
  open assignments, and those the work already fulfils.
- `AssignmentsModerationForm`: the moderators' page (/collections/<name>/assignments): for
  each listed assignment a "Default" or "Undefault" box and a pinch hitter's name. Its fields
  are made from the assignments listed, never from ids in the request.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.params import IdMultipleChoiceField
from works.models.visibility import assignments_of


class AssignmentChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(collection)s, for %(recipient)s") % {
            "collection": obj.challenge.collection.title,
            "recipient": obj.recipient.pseud.byline,
        }


class FulfilForm(forms.Form):
    assignments = AssignmentChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Does this fulfill a challenge assignment?"),
    )

    def __init__(self, *args, user, work=None, chosen=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_ = Q(work__isnull=True, fulfilled_at__isnull=True)
        if work is not None:
            open_ |= Q(work=work)
        field = self.fields["assignments"]
        field.queryset = (
            assignments_of(user)
            .filter(open_)
            .select_related("challenge__collection", "recipient__pseud__user")
            .order_by("pk")
        )
        self.choices = list(field.queryset)
        if not self.choices:
            del self.fields["assignments"]  # no assignment to fulfil: nothing to ask or check
            return
        if not self.is_bound:
            linked = work.pk if work is not None else None
            field.initial = [a.pk for a in self.choices if linked and a.work_id == linked]
            if chosen is not None and chosen in self.choices:
                field.initial.append(chosen.pk)

    @property
    def is_shown(self) -> bool:
        return bool(self.choices)

    def chosen(self):
        return list(self.cleaned_data["assignments"]) if self.is_shown else []


class AssignmentsModerationForm(forms.Form):
    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignments = list(assignments)
        for assignment in self.assignments:
            if assignment.fulfilled_at is not None:
                continue
            pk = assignment.pk
            needs_pinch_hit = assignment.pinch_hitter_id is None and (
                assignment.defaulted_at is not None or assignment.giver_id is None
            )
            if not needs_pinch_hit:
                self.fields[f"default_{pk}"] = forms.BooleanField(
                    required=False, label=pgettext_lazy("assignment", "Default")
                )
            if needs_pinch_hit and assignment.giver_id and assignment.defaulted_at:
                self.fields[f"undefault_{pk}"] = forms.BooleanField(
                    required=False, label=pgettext_lazy("assignment", "Undefault")
                )
            if needs_pinch_hit:
                self.fields[f"cover_{pk}"] = forms.CharField(
                    required=False, max_length=200, label=_("Pinch Hitter:")
                )
            assignment.fields = [self[name] for name in self.fields if name.endswith(f"_{pk}")]

    def changes(self):
        """[(assignment, "default" | "undefault" | "cover", pinch hitter's name or "")]."""
        out = []
        for assignment in self.assignments:
            for action in ("default", "undefault", "cover"):
                value = self.cleaned_data.get(f"{action}_{assignment.pk}")
                if value:
                    out.append((assignment, action, value if action == "cover" else ""))
        return out
