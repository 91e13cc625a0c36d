"""Prompt memes (issue 20, part 5): claiming a prompt, dropping the claim, and filling it.

Anyone logged in may claim a prompt of a prompt meme (several people may claim the same
prompt; one claim per person, kept by the database). A claim is filled by a work posted from
its "Fulfill" link (works/views/posting.py passes the claim to `claim_fill`); a draft fills
it when it is posted (`claims_work_posted`, called by posting.work_post). The prompter hears
of each claim and each fill (works/services/prompt_notices.py).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.errors import Refused
from works.models import Claim, Prompt, Work
from works.services import prompt_notices
from works.services.collections import is_collection_staff


def _claimable(prompt: Prompt, user) -> None:
    challenge = prompt.challenge
    if not challenge.is_prompt_meme or prompt.side != Prompt.Side.REQUEST:
        raise Refused(_("Only the prompts of a prompt meme can be claimed."), code="not_meme")
    collection = challenge.collection
    if collection.is_closed and not is_collection_staff(collection, user):
        raise Refused(
            _("“%(title)s” is closed: its prompts cannot be claimed.")
            % {"title": collection.title},
            code="closed",
        )


def claim_add(*, user, prompt: Prompt) -> Claim:
    """`user` claims `prompt` under their default pseud; claiming it again changes nothing."""
    _claimable(prompt, user)
    existing = Claim.objects.filter(prompt=prompt, user=user).first()
    if existing is not None:
        return existing
    pseud = user.pseuds.get(is_default=True)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                prompt=prompt, challenge=prompt.challenge, user=user, pseud=pseud
            )
    except IntegrityError:  # a double click: the first one claimed it
        return Claim.objects.get(prompt=prompt, user=user)
    prompt_notices.notify_claim(claim=claim)
    return claim


@transaction.atomic
def claim_drop(*, user, claim: Claim) -> None:
    """The claimant, or the collection's staff, drop a claim that no posted work fills."""
    collection = claim.challenge.collection
    if claim.user_id != user.pk and not is_collection_staff(collection, user):
        raise Refused(_("Only the claimant can drop this claim."), code="not_yours")
    if claim.work_id is not None and claim.work.posted:
        raise Refused(_("A filled claim cannot be dropped."), code="filled")
    claim.delete()


@transaction.atomic
def claim_fill(*, claim: Claim, work: Work) -> Claim:
    """`work` answers `claim` (a work its claimant created): filled now if it is posted, or
    once it is (claims_work_posted)."""
    if claim.work_id is not None or not work.is_creator(claim.user):
        return claim
    claim.work = work
    if work.posted:
        claim.fulfilled_at = timezone.now()
    claim.save(update_fields=["work", "fulfilled_at"])
    if claim.fulfilled_at:
        prompt_notices.notify_fill(claim=claim)
    return claim


@transaction.atomic
def claims_work_posted(*, work: Work) -> None:
    """A draft that answers claims was posted: they are filled now."""
    for claim in Claim.objects.filter(work=work, fulfilled_at__isnull=True):
        claim.fulfilled_at = timezone.now()
        claim.save(update_fields=["fulfilled_at"])
        prompt_notices.notify_fill(claim=claim)
