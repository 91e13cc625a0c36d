"""Collections in the API: GET /collections (the top-level collections with their
sub-collections, as /collections lists them) and GET /collections/{name} (a collection's
profile, as its page shows it).

A collection's profile names what its page names: the owner and moderators (by login, as the
page does), its flags, its challenge's kind and dates, its parent and sub-collections, its
prompts and the number of works the reader finds there (works.pages.collections:
`collection_listed`, which counts unrevealed works as "Mystery Work" without saying anything
else about them). The works themselves, without the mystery ones, are GET
/works?collection=<name> (works_url). `pending_count` is for the owner and moderators only,
as the "Moderate works" link is.
"""

import re
from datetime import datetime

from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from works.api.auth import reader
from works.api.paging import PageOut, PageQuery, page_of, works_url
from works.api.problems import ProblemOut
from works.models import Collection, CollectionItem
from works.pages.collections import collection_listed
from works.services.collections import is_collection_staff

router = Router(tags=["collections"])

# The names the pages' <slug:name> accepts.
COLLECTION_NAME = re.compile(r"[-a-zA-Z0-9_]+")


class CollectionFields(Schema):
    name: str
    title: str
    url: str
    api_url: str


class CollectionRefOut(CollectionFields):
    @staticmethod
    def resolve_url(collection) -> str:
        return collection.get_absolute_url()

    @staticmethod
    def resolve_api_url(collection) -> str:
        return reverse("api-v1:collection_get", args=[collection.name])


class CollectionListedOut(CollectionRefOut):
    children: list[CollectionRefOut]

    @staticmethod
    def resolve_children(collection) -> list:
        return list(collection.children.all())


class CollectionPageOut(PageOut):
    results: list[CollectionListedOut]


class StaffOut(Schema):
    login: str
    url: str = Field(description="Their default pseud's page.")

    @staticmethod
    def resolve_login(user) -> str:
        return user.username

    @staticmethod
    def resolve_url(user) -> str:
        return user.get_pseud_url()


class ChallengeOut(Schema):
    kind: str = Field(description="gift_exchange or prompt_meme.")
    signups_open: bool
    time_zone: str
    signups_open_at: datetime | None
    signups_close_at: datetime | None
    assignments_due_at: datetime | None
    works_reveal_at: datetime | None
    creators_reveal_at: datetime | None

    @staticmethod
    def resolve_signups_open(challenge) -> bool:
        return challenge.signups_open()


class PromptOut(Schema):
    position: int
    title: str
    description: str
    tag_id: int


class CollectionOut(CollectionFields):
    description_html: str
    rules_html: str
    owner: StaffOut
    moderators: list[StaffOut]
    is_closed: bool
    is_moderated: bool
    is_anonymous: bool
    is_unrevealed: bool
    challenge: ChallengeOut | None
    parent: CollectionRefOut | None
    children: list[CollectionRefOut]
    prompts: list[PromptOut]
    works_count: int = Field(
        description="Works the caller finds in the collection, mystery works included."
    )
    pending_count: int | None = Field(
        description="Works awaiting the collection's approval (its owner and moderators only)."
    )
    works_url: str
    created_at: datetime


@router.get(
    "/collections",
    response={200: CollectionPageOut, 422: ProblemOut},
    summary="Collections, with their sub-collections",
)
def collections_list(request, filters: Query[PageQuery]):
    collections = (
        Collection.objects.filter(parent=None)
        .order_by(Lower("title"), "pk")
        .prefetch_related("children")
    )
    return page_of(collections, filters)


@router.get(
    "/collections/{name}",
    response={200: CollectionOut, 404: ProblemOut},
    summary="A collection's profile",
)
def collection_get(request, name: str):
    if not COLLECTION_NAME.fullmatch(name):
        raise Http404  # as the page's <slug:name>; PostgreSQL refuses a NUL in a name
    user = reader(request)
    collection = get_object_or_404(
        Collection.objects.select_related("owner", "parent", "challenge").prefetch_related(
            "moderators"
        ),
        name=name,
    )
    challenge = getattr(collection, "challenge", None)
    pending = None
    if is_collection_staff(collection, user):
        pending = collection.items.filter(
            collection_approval=CollectionItem.Approval.PENDING,
            author_approval=CollectionItem.Approval.APPROVED,
        ).count()
    return {
        "name": collection.name,
        "title": collection.title,
        "url": collection.get_absolute_url(),
        "api_url": reverse("api-v1:collection_get", args=[collection.name]),
        "description_html": collection.description_html,
        "rules_html": collection.rules_html,
        "owner": collection.owner,
        "moderators": list(collection.moderators.all()),
        "is_closed": collection.is_closed,
        "is_moderated": collection.is_moderated,
        "is_anonymous": collection.is_anonymous,
        "is_unrevealed": collection.is_unrevealed,
        "challenge": challenge,
        "parent": collection.parent,
        "children": list(collection.children.order_by("title")),
        "prompts": list(collection.prompts.all()),
        "works_count": collection_listed(collection, user).count(),
        "pending_count": pending,
        "works_url": works_url(collection=collection.name),
        "created_at": collection.created_at,
    }
