"""A prompt meme's pages (issue 20, part 5): its prompts (`/collections/<name>/prompts`, with
the tag and "unfilled" filters), one prompt with its claims and fills, a person's claims
(`/users/<login>/claims`), the claim a posting form fills, and the "In response to a prompt"
line of a work's page.

Every list is a fixed number of queries: the prompts' tags, claims and claimants are
prefetched and their fill counts come from one subquery. Who may know an anonymous prompt's
poster, the claimants of a secret collection, and which works count as fills is asked of
works/models/visibility.py (`prompter_named_to`, `claimants_named_to`, `fill_works`).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from archive.params import parse_id, parse_int
from tags.models import Tag
from works.listing.pagination import pagination_links
from works.models import Challenge, Claim, Prompt, Work
from works.models.challenges import PROMPT_TAG_TYPES
from works.models.visibility import claimants_named_to, fill_works, prompter_named_to
from works.services.collections import is_collection_staff

PER_PAGE = 20
TAG_FILTER_MAX_LENGTH = 150


def prompt_meme_of(collection) -> Challenge | None:
    """The collection's challenge when it is a prompt meme (else None: the collection keeps
    its owner-listed prompts)."""
    challenge = Challenge.objects.filter(collection=collection).first()
    if challenge is None:
        return None
    collection.challenge = challenge  # kept for the collection's navigation (no second query)
    return challenge if challenge.is_prompt_meme else None


def _fills(user):
    return Claim.objects.filter(prompt=OuterRef("pk"), work__in=fill_works(user).values("pk"))


def _prompts(challenge, user):
    """The meme's prompts with what their blurbs show, newest first."""
    fill_count = _fills(user).order_by().values("prompt").annotate(n=Count("pk")).values("n")
    claims = Claim.objects.select_related("pseud__user", "work").order_by("id")
    return (
        Prompt.objects.filter(challenge=challenge, side=Prompt.Side.REQUEST)
        .select_related("signup__pseud__user")
        .prefetch_related("tags", Prefetch("claims", queryset=claims))
        .annotate(
            fill_count=Coalesce(Subquery(fill_count, output_field=IntegerField()), 0),
            claim_count=Count("claims", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


@dataclass
class PromptBlurb:
    prompt: Prompt
    poster: object  # the poster's Pseud, or None for "Anonymous"
    tags: list
    open_claims: int  # claims no posted work fills yet
    claimants: list  # those claims (for their pseuds), or [] where claimants are not named
    own_claim: Claim | None


def _tag_order(tag):
    order = PROMPT_TAG_TYPES.index(tag.type) if tag.type in PROMPT_TAG_TYPES else 99
    return order, tag.name.lower()


def _blurbs(prompts, collection, user) -> list[PromptBlurb]:
    named = claimants_named_to(collection, user)
    blurbs = []
    for prompt in prompts:
        claims = list(prompt.claims.all())
        own = next((c for c in claims if user.is_authenticated and c.user_id == user.pk), None)
        # Claimants of filled claims go unnamed: their works' blurbs name their creators
        # where they may (a fill in an anonymous collection must not be tied to its writer).
        unfilled = [c for c in claims if c.work is None or not c.work.posted]
        blurbs.append(
            PromptBlurb(
                prompt=prompt,
                poster=prompt.signup.pseud if prompter_named_to(prompt, collection, user) else None,
                tags=sorted(prompt.tags.all(), key=_tag_order),
                open_claims=len(unfilled),
                claimants=unfilled if named else [],
                own_claim=own,
            )
        )
    return blurbs


def _filter_tag(name: str):
    """The tag a reader filters by (its synonyms count too), or None."""
    name = name.strip()[:TAG_FILTER_MAX_LENGTH]
    if not name:
        return None
    return Tag.objects.filter(name__iexact=name).first()


def prompt_index_context(request, collection, challenge) -> dict:
    """/collections/<name>/prompts of a prompt meme: ?tag=<name> and ?unfilled=true filter."""
    user = request.user
    prompts = _prompts(challenge, user)
    tag_name = request.GET.get("tag", "")[:TAG_FILTER_MAX_LENGTH]
    tag = _filter_tag(tag_name)
    if tag_name.strip():
        tag_ids = [tag.pk, *tag.synonyms.values_list("pk", flat=True)] if tag else []
        if tag is not None and tag.merger_id:
            tag_ids.append(tag.merger_id)
        prompts = prompts.filter(
            Exists(Prompt.tags.through.objects.filter(prompt=OuterRef("pk"), tag_id__in=tag_ids))
        )
    unfilled = request.GET.get("unfilled") == "true"
    if unfilled:
        prompts = prompts.exclude(Exists(_fills(user)))
    page = Paginator(prompts, PER_PAGE).get_page(parse_int(request.GET.get("page"), minimum=1))
    return {
        "collection": collection,
        "challenge": challenge,
        "blurbs": _blurbs(page.object_list, collection, user),
        "prompt_total": page.paginator.count,
        "pagination": pagination_links(request, page),
        "tag_filter": tag_name.strip(),
        "unfilled": unfilled,
        "is_staff": is_collection_staff(collection, user),
    }


def prompt_detail_context(request, collection, challenge, prompt_id) -> dict:
    """/collections/<name>/prompts/<id> of a prompt meme: the prompt, who claimed it, and the
    works that fill it (mystery works shown as such)."""
    user = request.user
    prompt = _prompts(challenge, user).filter(pk=prompt_id).first()
    if prompt is None:
        raise Http404
    blurb = _blurbs([prompt], collection, user)[0]
    works = (
        Work.objects.listable_by(user, include_mystery=True)
        .filter(prompt_claims__prompt=prompt)
        .order_by("-revised_at", "-id")
        .for_listing()
    )
    return {
        "collection": collection,
        "challenge": challenge,
        "blurb": blurb,
        "fills": list(works),
        "is_staff": is_collection_staff(collection, user),
    }


def user_claims_context(request, person) -> dict:
    """/users/<login>/claims (their owner only): claims not yet filled by a posted work, or
    with ?posted=true the filled ones."""
    posted = request.GET.get("posted") == "true"
    filled = Q(work__isnull=False, work__in=Work.objects.posted().values("pk"))
    claims = (
        Claim.objects.filter(user=person)
        .filter(filled if posted else ~filled)
        .select_related("challenge__collection", "prompt__signup__pseud__user", "work")
        .prefetch_related("prompt__tags")
        .order_by("-created_at", "-id")
    )
    page = Paginator(claims, PER_PAGE).get_page(parse_int(request.GET.get("page"), minimum=1))
    rows = []
    for claim in page.object_list:
        collection = claim.challenge.collection
        prompt = claim.prompt
        rows.append(
            {
                "claim": claim,
                "collection": collection,
                "prompt": prompt,
                "poster": prompt.signup.pseud
                if prompter_named_to(prompt, collection, person)
                else None,
                "tags": sorted(prompt.tags.all(), key=_tag_order),
            }
        )
    return {
        "person": person,
        "rows": rows,
        "posted": posted,
        "pagination": pagination_links(request, page),
    }


def fulfilling_claim(request) -> Claim | None:
    """The claim a posting form fills (?claim=<id> from a "Fulfill" link, then the form's
    hidden field): one of the poster's own claims not filled yet, else None."""
    if not request.user.is_authenticated:
        return None
    claim_id = parse_id(request.POST.get("claim") or request.GET.get("claim"))
    if claim_id is None:
        return None
    return (
        Claim.objects.select_related("challenge__collection", "prompt")
        .filter(pk=claim_id, user=request.user, work__isnull=True)
        .first()
    )


def prompt_responses(work) -> list[dict]:
    """The prompts a work answers, for "In response to a prompt by X in the Y collection."
    (an anonymous prompt's poster is "Anonymous" here to everyone, as on AO3: the work's page
    is the same for every reader)."""
    if not getattr(work, "answers_prompts", False):
        return []
    claims = Claim.objects.filter(work=work).select_related(
        "challenge__collection", "prompt__signup__pseud__user"
    )
    return [
        {
            "prompt": claim.prompt,
            "collection": claim.challenge.collection,
            "poster": None if claim.prompt.anonymous else claim.prompt.signup.pseud,
        }
        for claim in claims.order_by("id")
    ]


def answers_prompts():
    """An annotation for the work page's query: whether the work fills any claim (so a work
    that fills none costs no query)."""
    return Exists(Claim.objects.filter(work=OuterRef("pk")))
