"""A prompt meme's prompts pages (issue 20, part 5): /collections/<name>/prompts lists every
prompt with its tags, its poster (or "Anonymous"), its claims and fills, filtered by tag and
by unfilled; /collections/<name>/prompts/<id> one prompt with its claimants and its fills.
Collections that are not prompt memes keep their owner-listed prompts at the same URLs."""

import pytest
from django.test import Client

from tags.models import TagType
from tests.factories import make_prompt, make_prompt_meme, make_tag, make_user, make_work
from works.models import Claim, Collection, CollectionItem, CollectionPrompt
from works.services.pseuds import pseud_create

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _fill(claim, *, title="A Filling Work", **fields):
    work = make_work(creator=claim.user, title=title, **fields)
    CollectionItem.objects.create(collection=claim.challenge.collection, work=work)
    Claim.objects.filter(pk=claim.pk).update(work=work, fulfilled_at=work.created_at)
    return work


@pytest.fixture
def meme():
    owner = make_user(username="memeowner")
    return make_prompt_meme(owner=owner, name="drabble_meme", title="Drabble Meme")


def test_prompts_show_their_tags_poster_and_counts(meme):
    poster = make_user(username="promptposter")
    pen = pseud_create(user=poster, name="Lantern Pen")
    fandom = make_tag("Harbour Lights", type=TagType.FANDOM)
    character = make_tag("Keeper Ines", type=TagType.CHARACTER)
    prompt = make_prompt(
        meme,
        user=poster,
        tags=[fandom, character],
        title="Fog on the pier",
        description="Someone waits for a *ship*.",
    )
    prompt.signup.pseud = pen
    prompt.signup.save()
    claimer = make_user(username="quickclaimer")
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    slow = make_user(username="slowclaimer")
    Claim.objects.create(prompt=prompt, challenge=meme, user=slow, pseud=slow.pseuds.get())
    _fill(claim)
    page = _page(_client(), "/collections/drabble_meme/prompts")
    assert "Prompts for" in page and "Fog on the pier" in page
    assert "Lantern Pen (promptposter)" in page
    assert "Harbour Lights" in page and "Keeper Ines" in page
    assert "<em>ship</em>" in page  # the description, rendered
    assert '<dd class="claims">2</dd>' in page
    assert '<dd class="fills">1</dd>' in page
    assert "slowclaimer" in page  # "Claimed By": the claims not filled yet
    assert "quickclaimer" not in page  # a filled claim is shown by its work's blurb


def test_a_collection_that_is_not_a_prompt_meme_keeps_its_listed_prompts():
    owner = make_user()
    collection = Collection.objects.create(name="daily", title="Daily Lanterns", owner=owner)
    tag = make_tag("Daily Lanterns Day 01: Frost", type=TagType.PROMPT)
    CollectionPrompt.objects.create(collection=collection, tag=tag, position=1, title="Frost")
    page = _page(_client(), "/collections/daily/prompts")
    assert "Day 01: Frost" in page
    assert "Claim" not in page
    day = _page(_client(), "/collections/daily/prompts/1")
    assert "Frost" in day


def test_an_anonymous_prompt_names_its_poster_to_the_poster_and_the_staff_only(meme):
    poster = make_user(username="shyprompter")
    moderator = make_user(username="memehelper")
    meme.collection.moderators.add(moderator)
    prompt = make_prompt(meme, user=poster, anonymous=True, title="Quiet request")
    site_staff = make_user(username="sitestaff", is_staff=True)
    curious = make_user(username="curious")
    for url in (
        "/collections/drabble_meme/prompts",
        f"/collections/drabble_meme/prompts/{prompt.pk}",
    ):
        for viewer in (None, curious, site_staff):
            page = _page(_client(viewer), url)
            assert "Quiet request" in page
            assert "shyprompter" not in page
            assert "by Anonymous" in page or "Prompt by Anonymous" in page
        for viewer in (poster, meme.collection.owner, moderator):
            assert "shyprompter" in _page(_client(viewer), url)


def test_prompts_filter_by_tag_with_its_synonyms_and_by_unfilled(meme):
    canonical = make_tag("Lighthouse Keepers", type=TagType.FANDOM, canonical=True)
    synonym = make_tag("LH Keepers", type=TagType.FANDOM, merger=canonical)
    other = make_tag("Tide Mills", type=TagType.FANDOM)
    by_synonym = make_prompt(meme, tags=[synonym], title="Synonym prompt")
    make_prompt(meme, tags=[canonical], title="Canonical prompt")
    filled = make_prompt(meme, tags=[other], title="Filled mill prompt")
    make_prompt(meme, tags=[other], title="Open mill prompt")
    claimer = make_user()
    claim = Claim.objects.create(
        prompt=filled, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    _fill(claim)
    page = _page(_client(), "/collections/drabble_meme/prompts?tag=lighthouse+keepers")
    assert "Synonym prompt" in page and "Canonical prompt" in page
    assert "mill prompt" not in page
    page = _page(_client(), "/collections/drabble_meme/prompts?tag=Tide+Mills&unfilled=true")
    assert "Open mill prompt" in page
    assert "Filled mill prompt" not in page and "Canonical prompt" not in page
    page = _page(_client(), "/collections/drabble_meme/prompts?tag=No+Such+Tag")
    assert "No prompts match these filters." in page
    assert by_synonym.title not in page


def test_a_draft_does_not_fill_a_prompt(meme):
    prompt = make_prompt(meme, title="Waiting prompt")
    claimer = make_user()
    claim = Claim.objects.create(
        prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
    )
    _fill(claim, post=False)
    page = _page(_client(), "/collections/drabble_meme/prompts?unfilled=true")
    assert "Waiting prompt" in page
    assert '<dd class="fills">0</dd>' in page


def test_the_prompt_page_lists_claimants_and_fills_and_keeps_mysteries(meme):
    prompt = make_prompt(meme, title="Two answers")
    writers = [make_user(username=f"filler{i}") for i in range(2)]
    claims = [
        Claim.objects.create(prompt=prompt, challenge=meme, user=u, pseud=u.pseuds.get())
        for u in writers
    ]
    _fill(claims[0], title="Plain Answer")
    hidden = _fill(claims[1], title="Hidden Answer")
    secret = Collection.objects.create(
        name="secret_box", title="Secret Box", owner=make_user(), is_unrevealed=True
    )
    CollectionItem.objects.create(collection=secret, work=hidden)
    page = _page(_client(), f"/collections/drabble_meme/prompts/{prompt.pk}")
    assert "Plain Answer" in page
    assert "Hidden Answer" not in page and "Mystery Work" in page
    assert "filler0" in page  # the plain answer's byline
    assert "filler1" not in page  # claimant of a filled claim: the mystery's writer
    assert '<dd class="fills">2</dd>' in page


def test_claimants_of_an_anonymous_collection_are_counted_not_named(meme):
    Collection.objects.filter(pk=meme.collection.pk).update(is_anonymous=True)
    prompt = make_prompt(meme)
    claimer = make_user(username="secretclaimer")
    Claim.objects.create(prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get())
    for url in (
        "/collections/drabble_meme/prompts",
        f"/collections/drabble_meme/prompts/{prompt.pk}",
    ):
        page = _page(_client(make_user()), url)
        assert "secretclaimer" not in page
        assert "1 anonymous claimant" in page
        assert "secretclaimer" in _page(_client(meme.collection.owner), url)
        assert "(including you)" in _page(_client(claimer), url)


def test_a_prompt_of_another_collection_or_an_offer_is_not_found(meme):
    elsewhere = make_prompt(make_prompt_meme(), title="Elsewhere prompt")
    response = _client().get(f"/collections/drabble_meme/prompts/{elsewhere.pk}")
    assert response.status_code == 404
    assert "Elsewhere prompt" not in response.content.decode()
    offer = make_prompt(meme, title="An offer", side="offer")
    assert _client().get(f"/collections/drabble_meme/prompts/{offer.pk}").status_code == 404


def test_the_prompts_list_costs_the_same_queries_for_many_prompts(meme, django_assert_num_queries):
    reader = make_user()
    client = _client(reader)
    fandom = make_tag("Count Fandom", type=TagType.FANDOM)

    def add(n):
        for _ in range(n):
            prompt = make_prompt(meme, tags=[fandom, make_tag()], anonymous=True)
            claimer = make_user()
            claim = Claim.objects.create(
                prompt=prompt, challenge=meme, user=claimer, pseud=claimer.pseuds.get()
            )
            _fill(claim)

    add(2)
    client.get("/collections/drabble_meme/prompts")  # warm the session
    with django_assert_num_queries(13) as few:
        assert client.get("/collections/drabble_meme/prompts").status_code == 200
    add(10)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/collections/drabble_meme/prompts").content.decode()
    assert page.count('class="blurb group"') == 12
