"""Tag.work_count: posted, non-hidden works carrying the tag directly (restricted ones count),
kept current for the affected tags only, and repairable with `manage.py recount_tags`."""

import io

import pytest
from django.core.management import call_command

from tags.models import Tag, TagType
from tests.factories import make_tag, make_work
from works.services import posting as work_services

pytestmark = pytest.mark.django_db

C = TagType.CHARACTER
F = TagType.FANDOM


def count(name):
    return Tag.objects.get(name=name).work_count


def test_posted_works_count_and_drafts_do_not():
    make_work(tags={F: ["Star Trek"]})
    make_work(tags={F: ["Star Trek"]}, restricted=True)
    draft = make_work(tags={F: ["Star Trek"]}, post=False)
    assert count("Star Trek") == 2

    work_services.work_post(work=draft)

    assert count("Star Trek") == 3


def test_hiding_unhiding_and_deleting_a_work_update_its_tags():
    work = make_work(tags={F: ["Star Trek"], C: ["Spock"]})
    make_work(tags={F: ["Star Trek"]})
    work_services.work_update(work=work, fields={"hidden_by_moderator": True})
    assert (count("Star Trek"), count("Spock")) == (1, 0)

    work_services.work_update(work=work, fields={"hidden_by_moderator": False})
    assert (count("Star Trek"), count("Spock")) == (2, 1)

    work_services.work_delete(work=work)
    assert (count("Star Trek"), count("Spock")) == (1, 0)


def test_changing_tags_recounts_the_old_and_new_tags():
    work = make_work(tags={F: ["Star Trek"], C: ["Spock"]})
    work_services.work_set_tags(
        work=work,
        tag_names={
            TagType.RATING: ["General Audiences"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            F: ["Star Trek"],
            C: ["Nyota Uhura"],
        },
    )
    assert (count("Spock"), count("Nyota Uhura"), count("Star Trek")) == (0, 1, 1)


def test_only_the_works_own_tags_are_recounted():
    bystander = make_tag("Leonard McCoy", type=C, canonical=True)
    Tag.objects.filter(pk=bystander.pk).update(work_count=42)  # wrong on purpose

    make_work(tags={F: ["Star Trek"], C: ["Spock"]})

    assert count("Leonard McCoy") == 42
    assert count("Spock") == 1


def test_synonyms_do_not_add_to_the_canonical_tags_own_count():
    kirk = make_tag("James T. Kirk", type=C, canonical=True)
    make_tag("Jim Kirk", type=C, merger=kirk)
    make_work(tags={C: ["Jim Kirk"]})
    assert (count("James T. Kirk"), count("Jim Kirk")) == (0, 1)


def test_recount_tags_repairs_every_count():
    make_work(tags={F: ["Star Trek"]})
    make_work(tags={F: ["Star Trek"]}, post=False)
    Tag.objects.update(work_count=7)

    call_command("recount_tags", "--filters", stdout=io.StringIO())

    assert count("Star Trek") == 1
    assert count("Explicit") == 0
    assert count("General Audiences") == 1  # the draft does not count
