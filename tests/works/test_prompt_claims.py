"""Claiming, dropping and filling a prompt meme's prompts (issue 20, part 5), the claims page
/users/<login>/claims, "In response to a prompt by ..." on the filling work, and the prompter
told of claims and fills (inbox and email, in their language, naming no secret)."""

import pytest
from django.core import mail
from django.test import Client

from archive.models import InboxItem
from tests.factories import make_prompt, make_prompt_meme, make_user
from works.models import Claim, Collection
from works.services.collections import collection_reveal

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def meme():
    return make_prompt_meme(
        owner=make_user(username="memekeeper"), name="ficlet_meme", title="Ficlet Meme"
    )


@pytest.fixture
def prompter():
    return make_user(username="promptwriter", email="promptwriter@example.org")


def _post_work(client, *, claim, title="Answer To The Prompt", post=True, query=True):
    url = "/works/new"
    if query:
        url += f"?collection={claim.challenge.collection.name}&claim={claim.pk}"
    data = {
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Claim Test Fandom",
        "title": title,
        "body": "The work that answers the prompt, in a few plain words.",
        "collections": claim.challenge.collection.name,
        "language": "en",
        "comment_permission": "everyone",
        "post_button" if post else "save_button": "1",
    }
    if not query:
        data["claim"] = claim.pk
    return client.post(url, data)


def test_a_guest_is_sent_to_log_in_and_claims_nothing(meme, prompter):
    prompt = make_prompt(meme, user=prompter)
    response = _client().post(f"/collections/ficlet_meme/prompts/{prompt.pk}/claim")
    assert response.status_code == 302 and "/users/login" in response["Location"]
    assert not Claim.objects.exists()


def test_several_people_claim_a_prompt_once_each_and_the_prompter_is_told(
    meme, prompter, django_capture_on_commit_callbacks
):
    prompt = make_prompt(meme, user=prompter, title="Storm at sea")
    first, second = make_user(username="firstclaim"), make_user(username="secondclaim")
    for user in (first, first, second):  # the double click claims once
        with django_capture_on_commit_callbacks(execute=True):
            response = _client(user).post(f"/collections/ficlet_meme/prompts/{prompt.pk}/claim")
        assert response.status_code == 302
        assert response["Location"] == f"/collections/ficlet_meme/prompts/{prompt.pk}"
    assert Claim.objects.filter(prompt=prompt).count() == 2
    items = InboxItem.objects.filter(recipient=prompter, kind=InboxItem.Kind.CLAIM)
    assert items.count() == 2
    assert [m.to for m in mail.outbox] == [["promptwriter@example.org"]] * 2
    assert "firstclaim claimed your prompt in Ficlet Meme" in mail.outbox[0].body
    inbox = _client(prompter).get("/users/promptwriter/inbox").content.decode()
    assert "Your prompt in Ficlet Meme was claimed" in inbox
    assert f"/collections/ficlet_meme/prompts/{prompt.pk}" in inbox
    page = _client(first).get(f"/collections/ficlet_meme/prompts/{prompt.pk}").content.decode()
    assert "Drop Claim" in page and "Fulfill" in page
    assert 'href="/users/firstclaim/claims"' in page  # "My Claims" in the collection's navigation


def test_the_claim_email_is_in_the_prompters_language_and_hides_a_secret_claimant(
    meme, django_capture_on_commit_callbacks
):
    Collection.objects.filter(pk=meme.collection.pk).update(is_anonymous=True)
    prompter = make_user(username="lectora", interface_language="es")
    prompt = make_prompt(meme, user=prompter)
    with django_capture_on_commit_callbacks(execute=True):
        _client(make_user(username="hiddenclaimer")).post(
            f"/collections/ficlet_meme/prompts/{prompt.pk}/claim"
        )
    (message,) = mail.outbox
    assert "hiddenclaimer" not in message.subject + message.body
    assert message.subject == "Tu prompt en Ficlet Meme fue reclamado"


def test_claiming_ones_own_prompt_tells_no_one(meme, prompter):
    prompt = make_prompt(meme, user=prompter)
    _client(prompter).post(f"/collections/ficlet_meme/prompts/{prompt.pk}/claim")
    assert Claim.objects.filter(user=prompter).exists()
    assert not InboxItem.objects.exists() and not mail.outbox


def test_a_closed_meme_takes_no_new_claims(meme, prompter):
    Collection.objects.filter(pk=meme.collection.pk).update(is_closed=True)
    prompt = make_prompt(meme, user=prompter)
    client = _client(make_user())
    response = client.post(f"/collections/ficlet_meme/prompts/{prompt.pk}/claim", follow=True)
    assert "is closed: its prompts cannot be claimed" in response.content.decode()
    assert not Claim.objects.exists()


def test_only_the_claimant_or_the_staff_drop_a_claim(meme, prompter):
    prompt = make_prompt(meme, user=prompter)
    claimer = make_user()
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    url = f"/collections/ficlet_meme/claims/{claim.pk}/drop"
    assert _client(make_user()).post(url).status_code == 404
    assert _client(prompter).post(url).status_code == 404
    assert _client().post(url).status_code == 302 and Claim.objects.filter(pk=claim.pk).exists()
    assert _client(claimer).post(url).status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    again = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    owner = _client(meme.collection.owner)
    page = owner.get(f"/collections/ficlet_meme/prompts/{prompt.pk}").content.decode()
    assert f"/collections/ficlet_meme/claims/{again.pk}/drop" in page
    response = owner.post(f"/collections/ficlet_meme/claims/{again.pk}/drop", follow=True)
    assert "The claim was deleted." in response.content.decode()
    assert not Claim.objects.filter(pk=again.pk).exists()


def test_the_claims_page_is_its_owners_alone(meme, prompter):
    prompt = make_prompt(meme, user=prompter, title="Lonely lighthouse", anonymous=True)
    claimer = make_user(username="myclaims")
    Claim.objects.create(prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get())
    page = _client(claimer).get("/users/myclaims/claims").content.decode()
    assert "Lonely lighthouse" in page and "Fulfill" in page
    assert "promptwriter" not in page  # the anonymous prompter stays anonymous to the claimant
    for viewer in (make_user(), prompter, meme.collection.owner):
        response = _client(viewer).get("/users/myclaims/claims")
        assert response.status_code == 404
        assert "Lonely lighthouse" not in response.content.decode()
    guest = _client().get("/users/myclaims/claims")
    assert guest.status_code == 302 and "/users/login" in guest["Location"]


def test_fulfilling_a_claim_links_the_posted_work_and_credits_the_prompt(
    meme, prompter, django_capture_on_commit_callbacks
):
    prompt = make_prompt(meme, user=prompter, title="Night ferry")
    claimer = make_user(username="ferrywriter")
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    client = _client(claimer)
    form = client.get(f"/works/new?collection=ficlet_meme&claim={claim.pk}").content.decode()
    assert f'name="claim" value="{claim.pk}"' in form
    assert "Posting this work fills your claim" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_work(client, claim=claim)
    assert response.status_code == 302, response.content.decode()[:3000]
    claim.refresh_from_db()
    assert claim.work is not None and claim.work.title == "Answer To The Prompt"
    assert claim.fulfilled_at is not None
    page = _client().get(claim.work.get_absolute_url()).content.decode()
    assert "In response to a" in page and "promptwriter" in page and "Ficlet Meme" in page
    assert f"/collections/ficlet_meme/prompts/{prompt.pk}" in page
    fill = InboxItem.objects.get(recipient=prompter, kind=InboxItem.Kind.FILL)
    assert fill.work == claim.work
    assert any(m.subject == "A response to your prompt" for m in mail.outbox)
    inbox = _client(prompter).get("/users/promptwriter/inbox").content.decode()
    assert "A response to your prompt:" in inbox and "Answer To The Prompt" in inbox
    prompts = _client().get("/collections/ficlet_meme/prompts").content.decode()
    assert '<dd class="fills">1</dd>' in prompts
    claims = client.get("/users/ferrywriter/claims?posted=true").content.decode()
    assert "Answer To The Prompt" in claims


def test_an_anonymous_prompt_is_credited_to_anonymous_on_the_work(meme, prompter):
    prompt = make_prompt(meme, user=prompter, anonymous=True)
    claimer = make_user()
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    _post_work(_client(claimer), claim=claim, query=False)
    claim.refresh_from_db()
    for viewer in (None, make_user(), claimer):
        page = _client(viewer).get(claim.work.get_absolute_url()).content.decode()
        assert "by Anonymous in the" in page
        assert "promptwriter" not in page


def test_someone_elses_claim_is_not_filled_by_my_work(meme, prompter):
    prompt = make_prompt(meme, user=prompter)
    owner = make_user()
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=owner, pseud=owner.pseuds.get()
    )
    intruder = make_user()
    form = _client(intruder).get(f"/works/new?claim={claim.pk}").content.decode()
    assert 'name="claim"' not in form
    _post_work(_client(intruder), claim=claim)
    claim.refresh_from_db()
    assert claim.work is None and claim.fulfilled_at is None
    assert not InboxItem.objects.filter(kind=InboxItem.Kind.FILL).exists()


def test_a_draft_fills_its_claim_once_posted(meme, prompter):
    prompt = make_prompt(meme, user=prompter)
    claimer = make_user()
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    client = _client(claimer)
    _post_work(client, claim=claim, post=False)
    claim.refresh_from_db()
    assert claim.work is not None and claim.fulfilled_at is None
    assert not InboxItem.objects.filter(kind=InboxItem.Kind.FILL).exists()
    page = _client().get("/collections/ficlet_meme/prompts").content.decode()
    assert '<dd class="fills">0</dd>' in page
    client.post(f"/works/{claim.work.pk}/preview", {"post_button": "1"})
    claim.refresh_from_db()
    assert claim.fulfilled_at is not None
    assert InboxItem.objects.filter(recipient=prompter, kind=InboxItem.Kind.FILL).count() == 1


def test_a_mystery_fill_is_told_at_the_reveal_without_naming_its_anonymous_creator(
    prompter, django_capture_on_commit_callbacks
):
    meme = make_prompt_meme(
        name="masked_meme", title="Masked Meme", is_unrevealed=True, is_anonymous=True
    )
    prompt = make_prompt(meme, user=prompter)
    writer = make_user(username="maskedwriter")
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=writer, pseud=writer.pseuds.get()
    )
    _post_work(_client(writer), claim=claim, title="Masked Answer")
    claim.refresh_from_db()
    assert claim.fulfilled_at is not None
    assert not InboxItem.objects.filter(kind=InboxItem.Kind.FILL).exists()
    page = _client(make_user()).get(f"/collections/masked_meme/prompts/{prompt.pk}")
    assert "Masked Answer" not in page.content.decode()
    assert "maskedwriter" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        collection_reveal(collection=meme.collection, works=True)
    item = InboxItem.objects.get(recipient=prompter, kind=InboxItem.Kind.FILL)
    assert item.work_id == claim.work_id
    message = next(m for m in mail.outbox if m.subject == "A response to your prompt")
    assert "Masked Answer" in message.body and "maskedwriter" not in message.body


def test_a_gift_exchanges_request_cannot_be_claimed(prompter):
    exchange = make_prompt_meme(name="swap_not_meme")
    exchange.kind = exchange.Kind.GIFT_EXCHANGE
    exchange.save()
    prompt = make_prompt(exchange, user=prompter)
    response = _client(make_user()).post(f"/collections/swap_not_meme/prompts/{prompt.pk}/claim")
    assert response.status_code == 404
    assert not Claim.objects.exists()
