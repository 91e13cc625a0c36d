"""What the posting endpoints (works.api.posting) take and answer.

Every field is optional in the schema: what a work needs (a title, a rating, a fandom, the
text…) is the posting form's to say, with the form's own messages (works/forms/works.py,
chapters.py). Tag names, collections, gifts and co-creators are either an array of names or
one string with the names separated by commas, as typed in the form (so a name cannot hold a
comma). Numbers sent where the form takes a name (a rating's id) reach the form as text and
are refused with its message.
"""

from ninja import Field, Schema
from pydantic import ConfigDict

Names = list[str] | str | None


class _Loose(Schema):
    model_config = ConfigDict(coerce_numbers_to_str=True)


class _WorkFields(_Loose):
    """A work's fields as the posting form has them; PATCH changes only those sent."""

    title: str | None = None
    summary: str | None = None
    notes: str | None = Field(None, description="Notes at the beginning of the work.")
    end_notes: str | None = Field(None, description="Notes at the end of the work.")
    rating: str | None = Field(None, description="A rating's name, e.g. “General Audiences”.")
    warnings: list[str] | str | None = Field(None, description="Archive warnings' names.")
    categories: list[str] | str | None = None
    fandoms: Names = None
    relationships: Names = None
    characters: Names = None
    additional_tags: Names = None
    prompts: Names = None
    language: str | None = Field(None, description="A language code, e.g. “en” (the default).")
    series: int | None = Field(None, description="The id of one of your series to add it to.")
    series_title: str | None = Field(None, description="Or the title of a new series.")
    series_remove: list[int] | None = Field(None, description="Ids of series it leaves.")
    collections: Names = Field(None, description="Collection names, as in /collections/<name>.")
    gifts: Names = Field(None, description="Pseuds, logins or names it is given to.")
    cocreators: Names = Field(None, description="Pseuds or logins invited as co-creators.")
    pseud: int | None = Field(None, description="The id of your pseud it is posted under.")
    restricted: bool | None = Field(None, description="Only registered users may read it.")
    comment_permission: str | None = None
    moderate_comments: bool | None = None
    expected_chapters: int | None = Field(
        None, description="The chapters it will have: 1 (the default), a number, or null for “?”."
    )
    published_at: str | None = Field(None, description="A backdate, YYYY-MM-DD.")
    chapter_title: str | None = Field(None, description="The first chapter's title.")
    body: str | None = Field(
        None, description="The first chapter's text: Markdown or plain HTML, sanitized."
    )


class WorkPatch(_WorkFields):
    """Only the fields sent change (`post` is its own endpoint: POST /works/{work_id}/post)."""


class WorkCreateIn(_WorkFields):
    post: bool = Field(False, description="Post it at once; otherwise it is saved as a draft.")


class _ChapterFields(_Loose):
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    body: str | None = Field(None, description="Markdown or plain HTML, sanitized.")
    expected_chapters: int | None = Field(
        None, description="The work's expected number of chapters; null for “?”."
    )


class ChapterCreateIn(_ChapterFields):
    post: bool = Field(False, description="Post it at once; otherwise it is saved as a draft.")


class ChapterPatch(_ChapterFields):
    post: bool = Field(False, description="Post a draft chapter (a posted one stays posted).")


class WorkWritten(Schema):
    id: int
    url: str = Field(description="The work's page on the site.")
    api_url: str
    posted: bool
    title: str
    chapters: list[int] = Field(description="Its chapters' ids, in order.")


class ChapterWritten(Schema):
    id: int
    work_id: int
    position: int
    posted: bool
    title: str
    url: str = Field(description="The chapter's page on the site.")
    api_url: str
