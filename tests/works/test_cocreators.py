"""Co-creators, with consent (issue 17): a creator names others in "Add co-creators?"
(`pseud[byline]`); each is invited, and nothing shows them on the work until they accept
from their inbox or /users/<login>/creatorships. Preferences refuse all invitations or add
without asking. Every creator edits, adds chapters, hears of comments and may leave."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.errors import Refused
from archive.models import Block, InboxItem
from tests.factories import make_user, make_work
from tests.responses import body
from tests.works.markup import parse, select, text
from tests.works.test_posting_work import NEW, work_data
from works.models import CreatorshipInvitation, Work, WorkCreator, WorkSearch
from works.services import creatorships, feedback, orphans, posting
from works.services import pseuds as pseud_services

pytestmark = pytest.mark.django_db

FIELD = "pseud[byline]"


@pytest.fixture
def partner(db):
    return make_user(username="lamp_partner")


def _bylines(client, work):
    page = parse(client.get(work.get_absolute_url()).content)
    return [text(a) for a in select(page, "h3.byline a[rel=author]")]


def test_posting_form_offers_add_cocreators_with_pseud_autocomplete(author_client):
    html = author_client.get(NEW).content.decode()
    assert f'name="{FIELD}"' in html
    assert "Add co-creators?" in html
    assert 'data-autocomplete-type="pseud"' in html


def test_pseud_autocomplete_suggests_bylines_to_logged_in_users(author_client, partner):
    pseud_services.pseud_create(user=partner, name="Lampwright")
    found = author_client.get("/autocomplete/pseud", {"term": "lamp"}).json()
    assert [s["name"] for s in found] == ["lamp_partner", "Lampwright (lamp_partner)"]
    assert author_client.get("/autocomplete/pseud", {"term": ""}).json() == []


def test_an_invited_cocreator_is_shown_nowhere_until_they_accept(client, author, partner):
    client.force_login(author)
    response = client.post(NEW, work_data(**{FIELD: "lamp_partner"}), follow=True)
    work = Work.objects.get(title="The Lamp on the Pier")
    assert "Invited as co-creators: lamp_partner. The work names them once they accept." in (
        response.content.decode()
    )
    invitation = CreatorshipInvitation.objects.get(work=work)
    assert (invitation.user, invitation.invited_by) == (partner, author)
    assert list(work.work_creators.values_list("user__username", flat=True)) == ["author"]

    client.logout()
    assert _bylines(client, work) == ["author"]
    for url in ("/works", "/users/author/works", f"/works/{work.pk}/navigate"):
        assert "lamp_partner" not in body(client.get(url)).decode()
    assert "The Lamp on the Pier" not in body(client.get("/users/lamp_partner/works")).decode()
    assert "lamp_partner" not in WorkSearch.objects.get(work=work).creators

    # The invitee is told in their inbox and answers there (or at /creatorships).
    client.force_login(partner)
    item = InboxItem.objects.get(recipient=partner, kind=InboxItem.Kind.CREATORSHIP)
    assert item.work == work
    inbox = client.get("/users/lamp_partner/inbox").content.decode()
    assert "Co-creator invitation:" in inbox and "The Lamp on the Pier" in inbox
    assert 'href="/users/lamp_partner/creatorships">View</a>' in inbox
    # The work's creator sees whom they asked; the invitee is not a creator yet.
    client.force_login(author)
    edit = client.get(f"/works/{work.pk}/edit").content.decode()
    assert "Invited, not yet accepted: lamp_partner" in edit
    client.force_login(partner)
    assert client.get(f"/works/{work.pk}/edit").status_code == 404

    accepted = client.post(
        "/users/lamp_partner/creatorships", {"work": work.pk, "action": "accept", "next": "inbox"}
    )
    assert accepted.status_code == 302 and accepted["Location"] == work.get_absolute_url()
    assert not CreatorshipInvitation.objects.exists()
    assert not InboxItem.objects.filter(kind=InboxItem.Kind.CREATORSHIP).exists()

    client.logout()
    assert _bylines(client, work) == ["author", "lamp_partner"]
    assert "The Lamp on the Pier" in body(client.get("/users/lamp_partner/works")).decode()
    assert "lamp_partner" in WorkSearch.objects.get(work=work).creators


def test_an_accepted_cocreator_edits_adds_chapters_and_hears_of_comments(
    client, author, partner, reader, django_capture_on_commit_callbacks
):
    work = make_work(creator=author, title="Shared Tide")
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    creatorships.creatorship_accept(invitation=CreatorshipInvitation.objects.get())
    client.force_login(partner)
    assert client.get(f"/works/{work.pk}/edit").status_code == 200
    added = client.post(
        f"/works/{work.pk}/chapters/new",
        {"title": "Second", "body": "The partner's chapter.", "post_button": "1"},
    )
    assert added.status_code == 302
    assert work.chapters.filter(body="The partner's chapter.").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback.comment_add(
            chapter=work.chapters.first(), user=reader, content="Lovely work, both of you."
        )
    told = set(
        InboxItem.objects.filter(kind=InboxItem.Kind.COMMENT).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"author", "lamp_partner"}
    assert {m.to[0] for m in mail.outbox} == {author.email, partner.email}


def test_declining_leaves_the_work_as_it_was(client, author, partner):
    work = make_work(creator=author, title="Lone Lamp")
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    client.force_login(partner)
    page = client.get("/users/lamp_partner/creatorships").content.decode()
    assert "Lone Lamp" in page and "author invited you" in page
    response = client.post(
        "/users/lamp_partner/creatorships", {"work": work.pk, "action": "decline"}
    )
    assert response.status_code == 302
    assert not CreatorshipInvitation.objects.exists()
    assert list(WorkCreator.objects.filter(work=work).values_list("user", flat=True)) == [author.pk]
    page = client.get("/users/lamp_partner/creatorships").content.decode()
    assert "You have no co-creator requests." in page


def test_creatorships_are_their_owners_alone(client, author, partner, reader):
    work = make_work(creator=author, title="Private Request")
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    assert client.get("/users/lamp_partner/creatorships").status_code == 302  # log in first
    client.force_login(reader)
    response = client.get("/users/lamp_partner/creatorships")
    assert response.status_code == 404 and b"Private Request" not in response.content
    # Someone else cannot answer the invitation, even through their own page.
    response = client.post("/users/reader/creatorships", {"work": work.pk, "action": "accept"})
    assert response.status_code == 404
    assert CreatorshipInvitation.objects.filter(user=partner).exists()


def test_a_user_who_refuses_invitations_is_refused_with_the_form_kept(author_client, partner):
    partner.allow_cocreator_invitations = False
    partner.save()
    response = author_client.post(NEW, work_data(**{FIELD: "lamp_partner"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "lamp_partner does not allow others to invite them to be a co-creator." in html
    assert 'value="The Lamp on the Pier"' in html and 'value="lamp_partner"' in html
    assert not Work.objects.exists() and not CreatorshipInvitation.objects.exists()


def test_a_user_who_blocked_the_inviter_is_refused_as_if_closed(author, partner):
    Block.objects.create(blocker=partner, blocked=author)
    work = make_work(creator=author)
    with pytest.raises(Refused) as refused:
        creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    assert "does not allow others to invite them" in refused.value.message
    assert not CreatorshipInvitation.objects.exists()


def test_unknown_and_ambiguous_names_are_clear_errors(author_client, partner, reader):
    pseud_services.pseud_create(user=partner, name="Wick")
    pseud_services.pseud_create(user=reader, name="Wick")
    response = author_client.post(NEW, work_data(**{FIELD: "nobody_here, Wick"}))
    html = response.content.decode()
    assert "There is no pseud or user called “nobody_here”." in html
    assert "More than one person writes as “Wick”" in html
    assert not Work.objects.exists()
    many = ", ".join(f"name{n}" for n in range(21))
    response = author_client.post(NEW, work_data(**{FIELD: many}))
    assert "Add at most 20 co-creators at a time." in response.content.decode()
    # "Pseud (login)" says which one.
    author_client.post(NEW, work_data(**{FIELD: "Wick (reader)"}))
    invitation = CreatorshipInvitation.objects.get()
    assert (invitation.pseud.name, invitation.user) == ("Wick", reader)


def test_add_without_asking_adds_at_once(client, author, partner):
    partner.cocreator_without_asking = True
    partner.save()
    client.force_login(author)
    work = make_work(creator=author, title="Quick Pair")
    response = client.post(
        f"/works/{work.pk}/edit",
        work_data(title="Quick Pair", **{FIELD: "lamp_partner"}),
    )
    assert response.status_code == 302
    assert not CreatorshipInvitation.objects.exists()
    client.logout()
    assert _bylines(client, work) == ["author", "lamp_partner"]


def test_preferences_page_sets_both_choices(client, partner):
    client.force_login(partner)
    page = client.get("/users/lamp_partner/preferences/feedback").content.decode()
    assert "Allow others to invite me to be a co-creator" in page
    client.post("/users/lamp_partner/preferences/feedback", {"cocreator_without_asking": "on"})
    partner.refresh_from_db()
    assert not partner.allow_cocreator_invitations and partner.cocreator_without_asking


def test_a_cocreator_may_leave_but_the_last_creator_may_not(client, author, partner):
    work = make_work(creator=author, title="Parting Ways")
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    creatorships.creatorship_accept(invitation=CreatorshipInvitation.objects.get())
    client.force_login(partner)
    assert "Yes, Remove Me" in client.get(f"/works/{work.pk}/remove_creator").content.decode()
    assert client.post(f"/works/{work.pk}/remove_creator").status_code == 302
    assert client.get(f"/works/{work.pk}/edit").status_code == 404
    client.logout()
    assert _bylines(client, work) == ["author"]

    client.force_login(author)
    page = client.get(f"/works/{work.pk}/remove_creator").content.decode()
    assert "You are the only creator of" in page
    response = client.post(f"/works/{work.pk}/remove_creator", follow=True)
    assert "A work must keep one creator" in response.content.decode()
    assert WorkCreator.objects.filter(work=work, user=author).exists()


def test_subscribers_of_a_cocreator_who_accepted_hear_of_new_works(author, partner, reader):
    feedback.subscription_add(user=reader, author=partner)
    invited_only = make_work(creator=author, post=False, title="Asked Only")
    creatorships.cocreators_invite(work=invited_only, inviter=author, pseuds=[partner.pseuds.get()])

    posting.work_post(work=invited_only)
    # Not yet a creator: the work is not theirs, so their subscribers are not told.
    assert not InboxItem.objects.filter(recipient=reader, work=invited_only).exists()

    partner.cocreator_without_asking = True
    partner.save()
    shared = make_work(creator=author, post=False, title="Both Of Us")
    creatorships.cocreators_invite(work=shared, inviter=author, pseuds=[partner.pseuds.get()])
    posting.work_post(work=shared)
    item = InboxItem.objects.get(recipient=reader, work=shared)
    assert item.kind == InboxItem.Kind.WORK


CHAPTER_FIELD = "chapter[author_attributes][ids][]"


def test_a_chapter_can_have_its_own_cocreators_among_the_works(client, author, partner):
    work = make_work(creator=author, title="Two Hands")
    client.force_login(author)
    assert CHAPTER_FIELD not in client.get(f"/works/{work.pk}/chapters/new").content.decode()
    partner.cocreator_without_asking = True
    partner.save()
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    theirs = WorkCreator.objects.get(work=work, user=partner)
    form = client.get(f"/works/{work.pk}/chapters/new").content.decode()
    assert f'name="{CHAPTER_FIELD}"' in form and "Chapter by" in form
    response = client.post(
        f"/works/{work.pk}/chapters/new",
        {"body": "The partner's half.", "post_button": "1", CHAPTER_FIELD: [theirs.pk]},
    )
    assert response.status_code == 302
    second = work.chapters.get(position=2)
    client.logout()
    page = parse(client.get(second.get_absolute_url()).content)
    assert [text(h) for h in select(page, "div.chapter h3.byline")] == ["Chapter by: lamp_partner"]
    first = parse(client.get(work.chapters.get(position=1).get_absolute_url()).content)
    assert not select(first, "div.chapter h3.byline")

    # Ticking every creator is the same as none: no chapter byline.
    client.force_login(author)
    mine = WorkCreator.objects.get(work=work, user=author)
    client.post(
        f"/works/{work.pk}/chapters/{second.pk}/edit",
        {"body": "The partner's half.", "post_button": "1", CHAPTER_FIELD: [mine.pk, theirs.pk]},
    )
    assert not second.creatorships.exists()

    # A creator who leaves the work leaves its chapters too.
    creatorships.chapter_set_creators(chapter=second, creatorships=[theirs])
    creatorships.creator_remove(work=work, user=partner)
    client.logout()
    page = parse(client.get(second.get_absolute_url()).content)
    assert not select(page, "div.chapter h3.byline")


def test_a_chapter_cannot_name_someone_outside_the_work(client, author, partner, reader):
    work = make_work(creator=author, title="Closed Circle")
    partner.cocreator_without_asking = True
    partner.save()
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
    elsewhere = make_work(creator=reader)
    outsider = WorkCreator.objects.get(work=elsewhere)
    client.force_login(author)
    response = client.post(
        f"/works/{work.pk}/chapters/new",
        {"body": "Text.", "post_button": "1", CHAPTER_FIELD: [outsider.pk]},
    )
    assert response.status_code == 200  # refused, the form kept
    assert work.chapters.count() == 1


def test_chapter_bylines_cost_one_query_whatever_the_chapters(client, author, partner):
    partner.cocreator_without_asking = True
    partner.save()
    counts = []
    for chapters in (2, 6):
        work = make_work(creator=author, chapters=chapters)
        creatorships.cocreators_invite(work=work, inviter=author, pseuds=[partner.pseuds.get()])
        theirs = WorkCreator.objects.get(work=work, user=partner)
        for chapter in work.chapters.all():
            creatorships.chapter_set_creators(chapter=chapter, creatorships=[theirs])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/works/{work.pk}?view_full_work=true")
        assert page.content.decode().count("Chapter by:") == chapters
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_invitation_to_a_deleted_pseud_waits_for_the_default_one(author, partner):
    wick = pseud_services.pseud_create(user=partner, name="Wick")
    work = make_work(creator=author)
    creatorships.cocreators_invite(work=work, inviter=author, pseuds=[wick])
    pseud_services.pseud_delete(pseud=wick)
    invitation = CreatorshipInvitation.objects.get(work=work)
    assert invitation.pseud == partner.pseuds.get(is_default=True)


def test_orphan_account_pseuds_are_never_offered_or_invited(author_client, author, partner):
    quill = pseud_services.pseud_create(user=partner, name="Quillon")
    orphans.works_orphan(
        user=partner, works=[make_work(creator=partner, pseud=quill)], keep_name=True
    )
    found = author_client.get("/autocomplete/pseud", {"term": "quillon"}).json()
    assert [s["name"] for s in found] == ["Quillon (lamp_partner)"]
    response = author_client.post(NEW, work_data(**{FIELD: "Quillon, orphan_account"}))
    assert "There is no pseud or user called “orphan_account”." in response.content.decode()
    assert "More than one person" not in response.content.decode()
