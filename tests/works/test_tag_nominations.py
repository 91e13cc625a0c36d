"""Nominating tags for a tag set during its window, within its per-type limits, and the
moderators' review: approving makes or finds the tag through the tags app and adds it to the
set, rejecting a fandom rejects what was nominated under it, and each nominator hears of the
decision in their inbox and by email, in their own language."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from archive.errors import Refused
from archive.models import InboxItem
from tags.models import Tag, TagType
from tests.factories import make_tag, make_user
from works.models import TagNomination
from works.services.tag_nominations import Nominee, nominations_add, nominations_review
from works.services.tag_sets import tag_set_create

pytestmark = pytest.mark.django_db

PENDING = TagNomination.Status.PENDING
APPROVED = TagNomination.Status.APPROVED
REJECTED = TagNomination.Status.REJECTED


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner():
    return make_user(username="nomowner")


@pytest.fixture
def moderator():
    return make_user(username="nommod")


@pytest.fixture
def tag_set(owner, moderator):
    now = timezone.now()
    tag_set = tag_set_create(
        owner=owner,
        moderators=[moderator],
        fields={
            "title": "Rare Pairs Exchange Set",
            "nominations_open_at": now - datetime.timedelta(days=1),
            "nominations_close_at": now + datetime.timedelta(days=6),
            "fandom_nominations": 2,
            "character_nominations": 2,
            "relationship_nominations": 0,
            "freeform_nominations": 1,
        },
        names={TagType.FANDOM: ["Already In Fandom"]},
    )
    return tag_set


def _nominate(user, tag_set, *nominees):
    return nominations_add(
        tag_set=tag_set,
        nominator=user,
        nominees=[Nominee(t, name, parent) for t, name, parent in nominees],
    )


# Nominating ---------------------------------------------------------------------------------


def test_nominating_through_the_form_saves_each_tag_with_its_fandom(tag_set):
    user = make_user()
    client = _client(user)
    page = client.get(f"/tag_sets/{tag_set.pk}/nominations/new").content.decode()
    assert 'name="fandom_2"' in page and 'name="fandom_3"' not in page  # two places
    assert 'name="character_1_fandom"' in page
    assert 'name="relationship_1"' not in page  # the set takes none
    response = client.post(
        f"/tag_sets/{tag_set.pk}/nominations/new",
        {
            "fandom_1": "Salt Road Chronicles",
            "character_1": "Wren",
            "character_1_fandom": "Salt Road Chronicles",
        },
    )
    assert response.status_code == 302
    rows = list(
        tag_set.nominations.order_by("tag_type").values_list(
            "tag_type", "name", "parent_name", "status"
        )
    )
    assert rows == [
        ("character", "Wren", "Salt Road Chronicles", PENDING),
        ("fandom", "Salt Road Chronicles", "", PENDING),
    ]
    page = client.get(f"/tag_sets/{tag_set.pk}/nominations/new").content.decode()
    assert "My Nominations for Rare Pairs Exchange Set" in page
    assert "Wren" in page and "Pending" in page
    assert 'name="fandom_1"' in page and 'name="fandom_2"' not in page  # one place left


def test_over_the_limit_is_refused_with_a_clear_message_and_nothing_saved(tag_set):
    user = make_user()
    _nominate(user, tag_set, (TagType.FREEFORM, "Slow Burn", ""))
    with pytest.raises(Refused) as refused:
        _nominate(user, tag_set, (TagType.FANDOM, "One", ""), (TagType.FREEFORM, "Fluff", ""))
    assert refused.value.code == "limit"
    assert "Your limit for Additional Tags in this tag set is 1" in refused.value.message
    assert "“Fluff” would be one too many" in refused.value.message
    assert not tag_set.nominations.filter(name="One").exists()  # all or nothing


def test_the_form_refuses_over_the_limit_and_keeps_what_was_typed(tag_set):
    user = make_user()
    client = _client(user)
    _nominate(user, tag_set, (TagType.FANDOM, "First Fandom", ""))
    response = client.post(
        f"/tag_sets/{tag_set.pk}/nominations/new",
        {"fandom_1": "first fandom", "freeform_1": "Kept Freeform Text"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have already nominated “first fandom”." in page
    assert "Kept Freeform Text" in page
    assert tag_set.nominations.count() == 1


@pytest.mark.parametrize(
    ("nominee", "code"),
    [
        ((TagType.RELATIONSHIP, "A/B", ""), "type"),
        ((TagType.FANDOM, "already in fandom", ""), "in_set"),
        ((TagType.FANDOM, "Bad, Name", ""), "name"),
        ((TagType.CHARACTER, "Fine", "Bad <Fandom>"), "name"),
    ],
)
def test_nominations_the_set_cannot_take_are_refused(tag_set, nominee, code):
    make_tag("Already In Fandom Synonym", TagType.FANDOM)
    with pytest.raises(Refused) as refused:
        _nominate(make_user(), tag_set, nominee)
    assert refused.value.code == code
    assert not tag_set.nominations.exists()


def test_a_synonym_of_a_tag_in_the_set_is_already_in_it(tag_set):
    canonical = tag_set.tags.get(name="Already In Fandom")
    make_tag("AIF", TagType.FANDOM, merger=canonical)
    with pytest.raises(Refused, match="“AIF” is already in this tag set."):
        _nominate(make_user(), tag_set, (TagType.FANDOM, "AIF", ""))


def test_nominations_outside_the_window_are_refused(tag_set):
    user = make_user()
    tag_set.nominations_close_at = timezone.now() - datetime.timedelta(minutes=1)
    tag_set.save()
    with pytest.raises(Refused, match="Nominations for “Rare Pairs Exchange Set” are closed."):
        _nominate(user, tag_set, (TagType.FANDOM, "Late", ""))
    client = _client(user)
    page = client.get(f"/tag_sets/{tag_set.pk}/nominations/new").content.decode()
    assert "are closed" in page and 'name="fandom_1"' not in page
    response = client.post(
        f"/tag_sets/{tag_set.pk}/nominations/new", {"fandom_1": "Late"}, follow=True
    )
    assert "are closed" in response.content.decode()
    assert not tag_set.nominations.exists()


def test_a_set_without_a_window_takes_no_nominations(owner):
    tag_set = tag_set_create(owner=owner, fields={"title": "No Window", "fandom_nominations": 3})
    with pytest.raises(Refused) as refused:
        _nominate(make_user(), tag_set, (TagType.FANDOM, "Anything", ""))
    assert refused.value.code == "closed"


def test_a_rejected_nomination_frees_its_place_and_a_pending_one_can_be_withdrawn(
    tag_set, moderator
):
    user = make_user()
    (freeform,) = _nominate(user, tag_set, (TagType.FREEFORM, "Rejected Idea", ""))
    nominations_review(tag_set=tag_set, moderator=moderator, reject=[freeform])
    (again,) = _nominate(user, tag_set, (TagType.FREEFORM, "Better Idea", ""))
    client = _client(user)
    response = client.post(f"/tag_sets/{tag_set.pk}/nominations/withdraw", {"nomination": again.pk})
    assert response.status_code == 302
    assert not TagNomination.objects.filter(pk=again.pk).exists()
    # Someone else's nomination cannot be withdrawn by this user.
    (theirs,) = _nominate(make_user(), tag_set, (TagType.FREEFORM, "Theirs", ""))
    assert (
        client.post(
            f"/tag_sets/{tag_set.pk}/nominations/withdraw", {"nomination": theirs.pk}
        ).status_code
        == 404
    )
    assert TagNomination.objects.filter(pk=theirs.pk).exists()


# Reviewing ------------------------------------------------------------------------------------


def test_approving_creates_an_unwrangled_tag_adds_it_and_approves_every_same_nomination(
    tag_set, moderator
):
    first, second = make_user(), make_user()
    (nomination,) = _nominate(first, tag_set, (TagType.FANDOM, "Glass Harbour", ""))
    _nominate(second, tag_set, (TagType.FANDOM, "glass harbour", ""))
    client = _client(moderator)
    page = client.get(f"/tag_sets/{tag_set.pk}/nominations").content.decode()
    assert "Glass Harbour" in page and "(×2)" in page and "new tag" in page
    response = client.post(f"/tag_sets/{tag_set.pk}/nominations", {"approve": [nomination.pk]})
    assert response.status_code == 302
    tag = Tag.objects.get(name="Glass Harbour")
    assert tag.type == TagType.FANDOM and not tag.canonical and tag.merger_id is None
    assert tag_set.tags.filter(pk=tag.pk).exists()
    assert set(tag_set.nominations.values_list("status", flat=True)) == {APPROVED}
    assert set(tag_set.nominations.values_list("tag", flat=True)) == {tag.pk}
    assert set(tag_set.nominations.values_list("reviewed_by", flat=True)) == {moderator.pk}
    assert (
        "No nominations are waiting for review."
        in client.get(f"/tag_sets/{tag_set.pk}/nominations").content.decode()
    )


def test_approving_a_synonym_adds_its_canonical_tag_and_a_new_name_can_be_given(tag_set, owner):
    canonical = make_tag("Wren Alder", TagType.CHARACTER, canonical=True)
    make_tag("Wren", TagType.CHARACTER, merger=canonical)
    user = make_user()
    wren, other = _nominate(
        user,
        tag_set,
        (TagType.CHARACTER, "Wren", "Salt Road"),
        (TagType.CHARACTER, "Captian Ilse", ""),
    )
    nominations_review(
        tag_set=tag_set, moderator=owner, approve=[wren, other], names={other.pk: "Captain Ilse"}
    )
    assert set(tag_set.tags.filter(type=TagType.CHARACTER).values_list("name", flat=True)) == {
        "Wren Alder",
        "Captain Ilse",
    }
    other.refresh_from_db()
    assert other.tag.name == "Captain Ilse" and other.name == "Captian Ilse"


def test_rejecting_a_fandom_rejects_the_characters_nominated_under_it(tag_set, moderator):
    user = make_user()
    fandom, character, unrelated = _nominate(
        user,
        tag_set,
        (TagType.FANDOM, "Dull Fandom", ""),
        (TagType.CHARACTER, "Dull Hero", "dull fandom"),
        (TagType.CHARACTER, "Bright Hero", "Other Fandom"),
    )
    approved, rejected = nominations_review(tag_set=tag_set, moderator=moderator, reject=[fandom])
    assert (approved, rejected) == (0, 2)
    statuses = dict(tag_set.nominations.values_list("name", "status"))
    assert statuses == {"Dull Fandom": REJECTED, "Dull Hero": REJECTED, "Bright Hero": PENDING}
    assert not Tag.objects.filter(name="Dull Fandom").exists()


def test_approve_and_reject_together_is_refused(tag_set, moderator):
    (nomination,) = _nominate(make_user(), tag_set, (TagType.FANDOM, "Torn", ""))
    response = _client(moderator).post(
        f"/tag_sets/{tag_set.pk}/nominations",
        {"approve": [nomination.pk], "reject": [nomination.pk]},
    )
    assert "Choose either approve or reject for “Torn”, not both." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == PENDING


@pytest.mark.parametrize("viewer", ["guest", "other", "nominator"])
def test_only_the_sets_staff_review(tag_set, viewer):
    nominator = make_user()
    (nomination,) = _nominate(nominator, tag_set, (TagType.FANDOM, "Secretly Nominated", ""))
    client = Client()
    if viewer != "guest":
        client.force_login(nominator if viewer == "nominator" else make_user())
    url = f"/tag_sets/{tag_set.pk}/nominations"
    response = client.get(url)
    assert response.status_code == (302 if viewer == "guest" else 404)
    assert "Secretly Nominated" not in response.content.decode()
    client.post(url, {"approve": [nomination.pk]})
    nomination.refresh_from_db()
    assert nomination.status == PENDING


def test_the_review_page_costs_a_fixed_number_of_queries(
    tag_set, moderator, django_assert_max_num_queries
):
    for n in range(12):
        _nominate(
            make_user(),
            tag_set,
            (TagType.FANDOM, f"Fandom Number {n}", ""),
            (TagType.CHARACTER, f"Hero {n}", f"Fandom Number {n}"),
        )
    client = _client(moderator)
    with django_assert_max_num_queries(14):
        page = client.get(f"/tag_sets/{tag_set.pk}/nominations").content.decode()
    assert "Fandom Number 11" in page and "Hero 11" in page


# Telling the nominator ------------------------------------------------------------------------


def test_the_nominator_is_told_in_the_inbox_and_by_email_in_their_language(
    tag_set, moderator, django_capture_on_commit_callbacks
):
    spanish = make_user(username="nominadora", interface_language="es")
    english = make_user(username="nominator")
    yes, no = _nominate(
        spanish, tag_set, (TagType.FANDOM, "Aceptado", ""), (TagType.FREEFORM, "Rechazado", "")
    )
    (also,) = _nominate(english, tag_set, (TagType.FANDOM, "Aceptado", ""))
    with django_capture_on_commit_callbacks(execute=True):
        nominations_review(tag_set=tag_set, moderator=moderator, approve=[yes], reject=[no])
    items = InboxItem.objects.filter(kind=InboxItem.Kind.TAG_NOMINATION)
    assert sorted(items.values_list("recipient__username", "tag_nomination__name")) == [
        ("nominadora", "Aceptado"),
        ("nominadora", "Rechazado"),
        ("nominator", "Aceptado"),
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {spanish.email, english.email}
    spanish_mail = by_address[spanish.email]
    assert spanish_mail.subject == (
        "Se revisaron tus nominaciones de etiquetas para Rare Pairs Exchange Set"
    )
    assert "Aprobada: Aceptado" in spanish_mail.body
    assert "No aprobada: Rechazado" in spanish_mail.body
    assert f"/tag_sets/{tag_set.pk}" in spanish_mail.body
    english_mail = by_address[english.email]
    assert english_mail.subject == "Your tag nominations for Rare Pairs Exchange Set were reviewed"
    assert "Approved: Aceptado" in english_mail.body
    inbox = _client(english).get("/users/nominator/inbox").content.decode()
    assert "Tag nomination approved:" in inbox
    assert "Aceptado in Rare Pairs Exchange Set" in inbox
    assert f'href="/tag_sets/{tag_set.pk}/nominations/new"' in inbox


def test_telling_again_tells_no_one_twice(tag_set, moderator, django_capture_on_commit_callbacks):
    from works.services.tag_nominations import nomination_notify

    (nomination,) = _nominate(make_user(), tag_set, (TagType.FANDOM, "Told Once", ""))
    with django_capture_on_commit_callbacks(execute=True):
        nominations_review(tag_set=tag_set, moderator=moderator, approve=[nomination])
        nomination_notify.call(nomination_ids=[nomination.pk])
    assert InboxItem.objects.filter(tag_nomination=nomination).count() == 1
    assert len(mail.outbox) == 1


def test_after_the_window_closes_a_pending_nomination_stays_and_the_page_says_so(tag_set):
    user = make_user()
    (nomination,) = _nominate(user, tag_set, (TagType.FANDOM, "Kept After Closing", ""))
    tag_set.nominations_close_at = timezone.now() - datetime.timedelta(minutes=1)
    tag_set.save()
    client = _client(user)
    page = client.get(f"/tag_sets/{tag_set.pk}/nominations/new").content.decode()
    assert "Kept After Closing" in page and "Withdraw" not in page
    response = client.post(
        f"/tag_sets/{tag_set.pk}/nominations/withdraw", {"nomination": nomination.pk}, follow=True
    )
    assert "“Kept After Closing” can no longer be withdrawn." in response.content.decode()
    assert TagNomination.objects.filter(pk=nomination.pk).exists()
    detail = client.get(f"/tag_sets/{tag_set.pk}").content.decode()
    assert "Closed" in detail


def test_a_window_in_the_future_is_shown_with_its_opening_time(owner):
    opens = timezone.now() + datetime.timedelta(days=3)
    tag_set = tag_set_create(
        owner=owner, fields={"title": "Opens Later", "nominations_open_at": opens}
    )
    page = Client().get(f"/tag_sets/{tag_set.pk}").content.decode()
    assert f"Open from {opens:%Y-%m-%d %H:%M} UTC" in page
