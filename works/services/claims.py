"""Claiming imported works, as Open Doors does: whoever proves the email address of an old
account (works/models/archive_imports.py, `ImportedCreator`) takes its works into their
account.

- `claim_request(user=, email=)`: a logged-in user types the old address; when unclaimed
  old accounts have it, that address is sent a link (Django's signing: the user's id and the
  address's digest, valid CLAIM_DAYS days). The page says the same whether or not any
  matched, so it tells nobody which addresses an archive held.
- `claim_check(user=, token=)`: the old accounts a link still claims for this user, or a
  refusal that says why (expired, not valid, sent for another account, already used).
- `claim_accept(user=, token=)`: in one transaction, each of those works moves from the
  placeholder pseud to the user's default pseud (a work the old account co-created gains
  the user as a creator), the old series follow, and the old accounts are marked claimed, so
  the link works once.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.errors import Refused
from archive.models import Pseud
from archive.site import site_url
from works.cache import pages as page_cache
from works.listing.search import works_search_refresh
from works.models import (
    ImportedCreator,
    ImportedSeries,
    ImportedStory,
    Work,
    WorkCreator,
    email_digest,
)

CLAIM_SALT = "works.claims"
CLAIM_DAYS = 7


def claimable(digest: str):
    """The unclaimed old accounts with this email digest."""
    if not digest:
        return ImportedCreator.objects.none()
    return ImportedCreator.objects.filter(email_digest=digest, claimed_by__isnull=True)


def claim_token(*, user, email: str) -> str:
    return signing.dumps({"u": user.pk, "d": email_digest(email)}, salt=CLAIM_SALT)


def claim_request(*, user, email: str) -> int:
    """Email a claim link to `email` when unclaimed works wait for it; how many old
    accounts it names (the caller shows the same page either way)."""
    email = (email or "").strip()
    creators = list(claimable(email_digest(email)).select_related("archive_import"))
    if creators:
        url = site_url(reverse("works:claim_confirm", args=[claim_token(user=user, email=email)]))
        names = ", ".join(sorted({f"{c.name} ({c.archive_import.name})" for c in creators}))
        with translation.override(user.interface_language or settings.LANGUAGE_CODE):
            subject = _("Claim your imported works")
            body = _(
                "The account %(login)s asked to claim the works of %(names)s, imported from "
                "an archive that has closed, for this email address.\n\n"
                "To claim them, follow this link while logged in as %(login)s:\n%(url)s\n\n"
                "The link works once, for %(days)d days. If you did not ask for it, ignore "
                "this email: nothing changes."
            ) % {"login": user.username, "names": names, "url": url, "days": CLAIM_DAYS}
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True
            )
        )
    return len(creators)


def claim_check(*, user, token: str, lock: bool = False) -> list[ImportedCreator]:
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise Refused(
            _("This claim link has expired. Ask for a new one below."), code="expired"
        ) from None
    except signing.BadSignature:
        raise Refused(
            _(
                "This claim link is not valid. Check that you copied all of it, or ask for a "
                "new one below."
            ),
            code="invalid",
        ) from None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise Refused(
            _(
                "This claim link was sent for another account. Log in as the account that "
                "asked for it."
            ),
            code="other_account",
        )
    creators = claimable(str(data.get("d") or ""))
    if lock:
        creators = creators.select_for_update(of=("self",))
    creators = list(creators.select_related("archive_import", "pseud").order_by("pk"))
    if not creators:
        raise Refused(
            _("This claim link has been used: the works it named are claimed already."),
            code="used",
        )
    return creators


def claimed_works(creators: list[ImportedCreator]):
    """The works these old accounts are credited on (for the confirmation page)."""
    ids = [c.pk for c in creators]
    rows = ImportedStory.objects.filter(work__isnull=False)
    primary = set(rows.filter(creator_id__in=ids).values_list("work_id", flat=True))
    cocreated = set(rows.filter(cocreators__in=ids).values_list("work_id", flat=True))
    return Work.objects.filter(pk__in=primary | cocreated).order_by("title", "pk")


@transaction.atomic
def claim_accept(*, user, token: str) -> int:
    """Move the old accounts' works to `user`; the number of works claimed."""
    creators = claim_check(user=user, token=token, lock=True)
    pseud = Pseud.objects.get(user=user, is_default=True)
    changed: set[int] = set()
    for creator in creators:
        placeholder = creator.archive_import.placeholder_id
        for story in creator.stories.filter(work__isnull=False):
            credit = WorkCreator.objects.filter(
                work_id=story.work_id, user_id=placeholder, pseud=creator.pseud
            ).first()
            if credit is None:
                continue
            if WorkCreator.objects.filter(work_id=story.work_id, user=user).exists():
                credit.delete()
            else:
                credit.user, credit.pseud = user, pseud
                credit.save(update_fields=["user", "pseud"])
            changed.add(story.work_id)
    for creator in creators:
        for story in creator.cocreated.filter(work__isnull=False):
            if not WorkCreator.objects.filter(work_id=story.work_id, user=user).exists():
                last = WorkCreator.objects.filter(work_id=story.work_id).aggregate(
                    m=Max("position")
                )
                WorkCreator.objects.create(
                    work_id=story.work_id, user=user, pseud=pseud, position=(last["m"] or 0) + 1
                )
                changed.add(story.work_id)
    for link in ImportedSeries.objects.filter(creator__in=creators).select_related("series"):
        link.series.creators.add(user)
        link.series.creators.remove(link.archive_import.placeholder_id)
    now = timezone.now()
    for creator in creators:
        creator.claimed_by, creator.claimed_at = user, now
        creator.save(update_fields=["claimed_by", "claimed_at"])
    if changed:
        works_search_refresh(sorted(changed))
        page_cache.work_changed(*sorted(changed))
        page_cache.site_changed()  # series pages and bylines in listings
    return len(changed)
