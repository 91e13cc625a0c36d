"""Challenge sign-ups (issue 20, part 1): the rules a sign-up is checked against, and the
services that make a challenge and write sign-ups."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from archive.errors import Refused
from tags.models import Tag, TagType
from tests.factories import make_challenge, make_signup, make_tag, make_user
from works.models import Challenge, ChallengeAction, Collection, Prompt, PromptRules, Signup, TagSet
from works.services import challenge_settings
from works.services import signups as services
from works.services.signups import OFFER, REQUEST, PromptEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Sign-up emails leave once the transaction commits: `with committed():` runs them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def entry(fandoms=("Fandom A",), **kwargs):
    names = {"fandom": list(fandoms)}
    names.update(kwargs.pop("tags", {}))
    return PromptEntry(tag_names=names, **kwargs)


def problems(challenge, side, the_entry):
    return services.prompt_problems(challenge=challenge, side=side, entry=the_entry)


# Checking a prompt -----------------------------------------------------------------------------


def test_a_prompt_needs_the_required_number_of_each_tag_type():
    challenge = make_challenge(rules={REQUEST: {"character_min": 1, "character_max": 2}})
    found = problems(challenge, REQUEST, entry())
    assert [part for part, _message in found] == ["character"]
    assert "at least 1" in found[0][1]
    assert problems(challenge, REQUEST, entry(tags={"character": ["Ann"]})) == []


def test_a_prompt_with_too_many_tags_of_a_type_is_refused():
    challenge = make_challenge(rules={REQUEST: {"fandom_max": 2}})
    found = problems(challenge, REQUEST, entry(fandoms=["A", "B", "C"]))
    assert found == [("fandom", "Fandom: at most 2 tags are allowed.")]


def test_a_type_the_rules_leave_out_takes_no_tags():
    challenge = make_challenge(rules={OFFER: {"freeform_max": 0}})
    found = problems(challenge, OFFER, entry(tags={"freeform": ["Fluff"]}))
    assert found == [("freeform", "Additional Tags: no tags are allowed.")]


def test_a_rating_must_be_one_of_the_archive_ratings():
    challenge = make_challenge()
    assert problems(challenge, REQUEST, entry(tags={"rating": ["General Audiences"]})) == []
    found = problems(challenge, REQUEST, entry(tags={"rating": ["Spicy"]}))
    assert found == [("rating", "Spicy is not a rating.")]


def test_tags_outside_the_tag_set_are_refused_and_synonyms_count_as_in_it():
    owner = make_user()
    canonical = make_tag("Set Fandom", TagType.FANDOM, canonical=True)
    synonym = make_tag("SF", TagType.FANDOM, merger=canonical)
    make_tag("Outside Fandom", TagType.FANDOM)
    tag_set = TagSet.objects.create(title="The Set")
    tag_set.owners.add(owner)
    tag_set.tags.add(canonical)
    challenge = make_challenge(owner=owner, tag_set=tag_set)
    assert problems(challenge, REQUEST, entry(fandoms=["Set Fandom"])) == []
    assert problems(challenge, REQUEST, entry(fandoms=[synonym.name])) == []
    found = problems(challenge, REQUEST, entry(fandoms=["Outside Fandom"]))
    assert found == [("fandom", "Not in the tag set “The Set”: Outside Fandom")]
    # A name that is no tag at all cannot be in the set either.
    found = problems(challenge, REQUEST, entry(fandoms=["Never Heard Of"]))
    assert found == [("fandom", "Not in the tag set “The Set”: Never Heard Of")]


def test_the_set_is_not_enforced_when_the_rules_say_tags_may_come_from_anywhere():
    tag_set = TagSet.objects.create(title="Loose Set")
    challenge = make_challenge(tag_set=tag_set, rules={REQUEST: {"tags_from_set": False}})
    assert problems(challenge, REQUEST, entry(fandoms=["Anything"])) == []


def test_title_url_and_description_follow_the_rules():
    challenge = make_challenge(
        rules={
            REQUEST: {
                "title_required": True,
                "url_allowed": False,
                "description_allowed": False,
            }
        }
    )
    found = problems(
        challenge, REQUEST, entry(url="https://example.org/x", description="Some words")
    )
    assert sorted(part for part, _m in found) == ["description", "title", "url"]
    allowed = make_challenge(rules={REQUEST: {"url_allowed": True}})
    found = problems(allowed, REQUEST, entry(url="javascript:alert(1)"))
    assert [part for part, _m in found] == ["url"]


def test_the_shared_tag_check_takes_tags_already_found():
    """Other parts (prompt memes) call prompt_tag_problems with Tag rows."""
    challenge = make_challenge(rules={REQUEST: {"character_min": 1}})
    fandom = make_tag("Only Fandom", TagType.FANDOM)
    rules = services.rules_for(challenge, REQUEST)
    found = services.prompt_tag_problems(rules=rules, tag_set=None, tags={"fandom": [fandom]})
    assert [part for part, _m in found] == ["character"]


# Making a collection a challenge -------------------------------------------------------------


def _rules(**overrides):
    values = {name: getattr(PromptRules(), name) for name in challenge_settings.RULE_FIELDS}
    values.update(overrides)
    return {REQUEST: values, OFFER: dict(values)}


def test_the_owner_makes_a_collection_a_challenge_and_it_is_audited():
    owner = make_user()
    collection = Collection.objects.create(name="yule", title="Yule", owner=owner)
    challenge = challenge_settings.challenge_save(
        collection=collection,
        actor=owner,
        fields={"kind": Challenge.Kind.GIFT_EXCHANGE, "requests_max": 3, "time_zone": "Asia/Tokyo"},
        rules=_rules(character_max=6),
    )
    assert challenge.collection == collection
    assert challenge.rules.get(side=REQUEST).character_max == 6
    assert challenge.time_zone == "Asia/Tokyo"
    action = ChallengeAction.objects.get(challenge=challenge)
    assert (action.actor, action.action) == (owner, "challenge_created")
    challenge_settings.challenge_save(
        collection=collection, actor=owner, fields={"requests_max": 4}, rules={}
    )
    assert Challenge.objects.get(pk=challenge.pk).requests_max == 4
    assert challenge.actions.count() == 2


def test_the_kind_cannot_change_once_people_signed_up():
    challenge = make_challenge()
    make_signup(challenge)
    with pytest.raises(Refused) as refused:
        challenge_settings.challenge_save(
            collection=challenge.collection,
            actor=challenge.collection.owner,
            fields={"kind": Challenge.Kind.PROMPT_MEME},
            rules={},
        )
    assert refused.value.code == "kind_locked"


# Signing up ---------------------------------------------------------------------------------


def test_signing_up_saves_requests_and_offers_and_confirms_by_email(committed):
    challenge = make_challenge(requests_max=2)
    user = make_user(email="p@example.org")
    with committed():
        signup = services.signup_create(
            challenge=challenge,
            user=user,
            pseud=user.pseuds.get(),
            requests=[entry(fandoms=["Fandom A"]), entry(fandoms=["Fandom B"]), PromptEntry()],
            offers=[entry(fandoms=["Fandom C"])],
            pinch_hitter=True,
        )
    requests = signup.prompts.filter(side=REQUEST).order_by("position")
    assert [p.tags.get().name for p in requests] == ["Fandom A", "Fandom B"]
    assert signup.prompts.get(side=OFFER).tags.get().name == "Fandom C"
    assert Tag.objects.get(name="Fandom B").type == TagType.FANDOM
    assert signup.pinch_hitter
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["p@example.org"]
    assert f"/collections/{challenge.collection.name}/signups/{signup.pk}" in mail.outbox[0].body


def test_too_few_requests_are_refused_and_nothing_is_saved():
    challenge = make_challenge(requests_min=2, requests_max=3)
    user = make_user()
    with pytest.raises(Refused) as refused:
        services.signup_create(
            challenge=challenge,
            user=user,
            pseud=user.pseuds.get(),
            requests=[entry()],
            offers=[entry()],
        )
    assert refused.value.code == "count"
    assert not Signup.objects.exists()
    assert not Tag.objects.filter(name="Fandom A").exists()


def test_no_one_signs_up_before_sign_ups_open_or_after_they_close():
    now = timezone.now()
    early = make_challenge(signups_open_at=now + datetime.timedelta(hours=1))
    late = make_challenge(signups_close_at=now - datetime.timedelta(minutes=1))
    user = make_user()
    for challenge in (early, late):
        with pytest.raises(Refused):
            services.signup_create(
                challenge=challenge,
                user=user,
                pseud=user.pseuds.get(),
                requests=[entry()],
                offers=[entry()],
            )


def test_one_sign_up_per_person_and_only_under_ones_own_pseud():
    challenge = make_challenge()
    user, other = make_user(), make_user()
    with pytest.raises(Refused):
        services.signup_create(
            challenge=challenge,
            user=user,
            pseud=other.pseuds.get(),
            requests=[entry()],
            offers=[entry()],
        )
    services.signup_create(
        challenge=challenge,
        user=user,
        pseud=user.pseuds.get(),
        requests=[entry()],
        offers=[entry()],
    )
    with pytest.raises(Refused) as refused:
        services.signup_create(
            challenge=challenge,
            user=user,
            pseud=user.pseuds.get(),
            requests=[entry()],
            offers=[entry()],
        )
    assert refused.value.code == "duplicate"


def test_a_prompt_meme_sign_up_has_prompts_only_and_they_may_be_anonymous():
    challenge = make_challenge(kind=Challenge.Kind.PROMPT_MEME, requests_max=2)
    user = make_user()
    signup = services.signup_create(
        challenge=challenge,
        user=user,
        pseud=user.pseuds.get(),
        requests=[entry(anonymous=True)],
        offers=[entry(fandoms=["Ignored"])],
        pinch_hitter=True,
    )
    assert list(signup.prompts.values_list("side", "anonymous")) == [(REQUEST, True)]
    assert not signup.pinch_hitter


def test_editing_keeps_prompts_in_place_and_removes_the_ones_left_blank(committed):
    challenge = make_challenge(kind=Challenge.Kind.PROMPT_MEME, requests_max=3)
    user = make_user()
    signup = services.signup_create(
        challenge=challenge,
        user=user,
        pseud=user.pseuds.get(),
        requests=[entry(fandoms=["One"]), entry(fandoms=["Two"])],
    )
    first = signup.prompts.get(position=1)
    with committed():
        services.signup_update(
            signup=signup,
            actor=user,
            pseud=user.pseuds.get(),
            requests=[entry(fandoms=["Uno"]), PromptEntry()],
        )
    assert list(signup.prompts.values_list("pk", flat=True)) == [first.pk]
    assert Prompt.objects.get(pk=first.pk).tags.get().name == "Uno"
    assert mail.outbox == []  # the participant's own edit sends no "changed" email


def test_a_participant_cannot_change_their_sign_up_once_closed_but_a_moderator_can(committed):
    challenge = make_challenge()
    user = make_user(email="late@example.org")
    signup = make_signup(challenge, user)
    moderator = make_user()
    challenge.collection.moderators.add(moderator)
    Challenge.objects.filter(pk=challenge.pk).update(
        signups_close_at=timezone.now() - datetime.timedelta(days=1)
    )
    signup = Signup.objects.select_related("challenge__collection").get(pk=signup.pk)
    with pytest.raises(Refused):
        services.signup_update(
            signup=signup,
            actor=user,
            pseud=user.pseuds.get(),
            requests=[entry()],
            offers=[entry()],
        )
    with pytest.raises(Refused):
        services.signup_delete(signup=signup, actor=user)
    with committed():
        services.signup_update(
            signup=signup,
            actor=moderator,
            pseud=user.pseuds.get(),
            requests=[entry(fandoms=["Moderated Fandom"])],
            offers=[entry()],
        )
    action = ChallengeAction.objects.get(action="signup_edited")
    assert action.actor == moderator
    assert "Moderated Fandom" not in action.detail  # the audit never copies a sign-up's text
    assert mail.outbox[-1].to == ["late@example.org"]
    assert "changed your sign-up" in mail.outbox[-1].body
    with committed():
        services.signup_delete(signup=signup, actor=moderator)
    assert not Signup.objects.exists()
    assert ChallengeAction.objects.filter(action="signup_deleted", actor=moderator).exists()
    assert "removed your sign-up" in mail.outbox[-1].body


def test_someone_unrelated_cannot_edit_or_delete_a_sign_up_while_open():
    challenge = make_challenge()
    signup = make_signup(challenge)
    stranger = make_user()
    with pytest.raises(Refused):
        services.signup_update(
            signup=signup,
            actor=stranger,
            pseud=signup.pseud,
            requests=[entry()],
            offers=[entry()],
        )
    with pytest.raises(Refused):
        services.signup_delete(signup=signup, actor=stranger)
    assert Signup.objects.filter(pk=signup.pk).exists()
