"""People in the API: GET /users/{login} (the public profile) and GET /users/{login}/pseuds.

What the profile page (/users/<login>/profile) and the pseuds page show, and nothing else (no
email, no preferences): the login, the user id, the date they joined, the "About me" bio and
the pseuds with their descriptions, as HTML rendered once by works/rendering.py. The counts are
those of the person's pages for this reader: the works their dashboard counts (posted, visible
to the reader, and not kept anonymous from them by a collection), the series it lists, and the
bookmarks their bookmarks page lists. Unknown and closed accounts are a 404, as their pages.
Their works and bookmarks are the works area's GET /users/{login}/works and …/bookmarks.
"""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Router, Schema

from archive.models import Pseud
from archive.people import person_or_404
from works.api.auth import reader
from works.api.paging import api_path
from works.api.problems import ProblemOut
from works.models import Bookmark, Series, Work

router = Router(tags=["people"])


class PseudOut(Schema):
    name: str
    is_default: bool
    byline: str = Field(description="“Pseud (login)”, or the login alone.")
    description_html: str
    url: str

    @staticmethod
    def resolve_url(pseud) -> str:
        return pseud.get_absolute_url()


class PersonOut(Schema):
    id: int
    login: str
    url: str = Field(description="Their profile page.")
    joined_at: datetime
    bio_html: str
    pseuds: list[PseudOut]
    works_count: int
    series_count: int
    bookmarks_count: int
    works_url: str
    bookmarks_url: str
    pseuds_url: str


def _pseuds(person) -> list[Pseud]:
    pseuds = list(Pseud.objects.filter(user=person))
    for pseud in pseuds:
        pseud.user = person
    return pseuds


@router.get(
    "/users/{login}",
    response={200: PersonOut, 404: ProblemOut},
    summary="A person's public profile",
)
def user_get(request, login: str):
    person = person_or_404(login)
    user = reader(request)
    works = Work.objects.visible_to(user).posted().naming_creators_to(user)
    series = Series.objects.filter(creators=person, series_works__work__in=works).distinct()
    return {
        "id": person.pk,
        "login": person.username,
        "url": reverse("works:user_profile", args=[person.username]),
        "joined_at": person.date_joined,
        "bio_html": person.bio_html,
        "pseuds": _pseuds(person),
        "works_count": works.filter(work_creators__user=person).distinct().count(),
        "series_count": series.count(),
        "bookmarks_count": Bookmark.objects.visible_to(user).filter(user=person).count(),
        "works_url": api_path(f"users/{person.username}/works"),
        "bookmarks_url": api_path(f"users/{person.username}/bookmarks"),
        "pseuds_url": api_path(f"users/{person.username}/pseuds"),
    }


@router.get(
    "/users/{login}/pseuds",
    response={200: list[PseudOut], 404: ProblemOut},
    summary="A person's pseuds",
)
def pseuds_list(request, login: str):
    return _pseuds(person_or_404(login))
