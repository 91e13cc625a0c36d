"""Text search over works.

Each work has a search document (works.WorkSearch: title, creators, tag names, summary and
notes), refreshed by `works_search_refresh()` whenever services.work_refresh runs (a work,
its chapters, tags or creators changed) and rebuilt for a whole archive by
`works_search_rebuild()`; the benchmark's generator (tests/bench/generate/) writes them itself.

On PostgreSQL the document has a stored, weighted tsvector (`vector`, added by the migration
with a GIN index): title and creators weigh A, tags B, summary and notes C. A query is read
with websearch_to_tsquery (AO3-like: words are ANDed, "quoted phrases", -excluded, OR) and
results can be ranked with ts_rank. On SQLite every word must appear (icontains) in one of
the same fields; ranking falls back to date updated.
"""

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from works.models import Work, WorkSearch
from works.models.bylines import creators_with_bylines

CONFIG = "english"
MAX_TERMS = 12

_MATCH_SQL = (
    "SELECT work_id FROM works_worksearch "
    f"WHERE vector @@ websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
)
_RANK_SQL = (
    f"SELECT ts_rank(s.vector, websearch_to_tsquery('{CONFIG}'::regconfig, %s)) "
    "FROM works_worksearch s WHERE s.work_id = works_work.id"
)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _terms(query: str) -> tuple[list[str], list[str]]:
    """Words to find and words to leave out (-word), for the SQLite fallback."""
    wanted, unwanted = [], []
    for word in query.replace('"', " ").split()[:MAX_TERMS]:
        if word.upper() == "OR":
            continue
        if word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        else:
            wanted.append(word)
    return wanted, unwanted


def _any_field(word: str) -> Q:
    return (
        Q(title__icontains=word)
        | Q(creators__icontains=word)
        | Q(tags__icontains=word)
        | Q(text__icontains=word)
    )


def search_works(works, query: str):
    """`works` that match the free-text `query`."""
    query = query.strip()
    if not query:
        return works
    if is_postgres():
        return works.filter(pk__in=RawSQL(_MATCH_SQL, [query]))
    wanted, unwanted = _terms(query)
    documents = WorkSearch.objects.filter(work=OuterRef("pk"))
    for word in wanted:
        documents = documents.filter(_any_field(word))
    for word in unwanted:
        documents = documents.exclude(_any_field(word))
    return works.filter(Exists(documents))


def order_by_rank(works, query: str):
    """Best match first (ts_rank on PostgreSQL; date updated on SQLite)."""
    if is_postgres():
        works = works.annotate(search_rank=RawSQL(_RANK_SQL, [query]))
        return works.order_by("-search_rank", "-revised_at", "-id")
    return works.order_by("-revised_at", "-id")


def _names(pseuds) -> list[str]:
    """A work's creators as search finds them: each pseud's name and its login."""
    names = []
    for pseud in pseuds:
        names += (
            [pseud.name] if pseud.name == pseud.user.username else [pseud.name, pseud.user.username]
        )
    return names


def works_search_refresh(work_ids) -> None:
    """Rewrite the search documents of these works (a few at a time: services)."""
    work_ids = list(work_ids)
    works = Work.objects.filter(pk__in=work_ids).prefetch_related("tags", creators_with_bylines())
    for work in works:
        fields = {
            "title": work.title,
            "creators": " ".join(_names(work.pseuds.all())),
            "tags": " ".join(tag.name for tag in work.tags.all()),
            "text": " ".join(filter(None, (work.summary, work.notes, work.endnotes))),
        }
        WorkSearch.objects.update_or_create(work=work, defaults=fields)


# A work's tag names, space-separated ({agg}: string_agg or group_concat; {work}: its id).
_TAG_NAMES_SQL = """coalesce((SELECT {agg}(t.name, ' ') FROM works_taggedwork tw
    JOIN tags_tag t ON t.id = tw.tag_id WHERE tw.content_object_id = {work}), '')"""

# A work's creators, as _names() spells them ({work}: its id).
_CREATOR_NAMES_SQL = """coalesce((SELECT {agg}(CASE WHEN p.name = u.username THEN p.name
    ELSE p.name || ' ' || u.username END, ' ') FROM works_workcreator wc
    JOIN archive_pseud p ON p.id = wc.pseud_id JOIN archive_user u ON u.id = wc.user_id
    WHERE wc.work_id = {work}), '')"""

_REBUILD_SQL = """
INSERT INTO works_worksearch (work_id, title, creators, tags, text)
SELECT w.id, w.title,
    {creator_names},
    {tag_names},
    w.summary || ' ' || w.notes || ' ' || w.endnotes
FROM works_work w
"""


_RETAG_SQL = "UPDATE works_worksearch SET tags = {tag_names} WHERE work_id IN ({ids})"
_RECREDIT_SQL = "UPDATE works_worksearch SET creators = {names} WHERE work_id IN ({ids})"
RETAG_CHUNK = 1000


def works_search_retag(work_ids) -> None:
    """Rewrite the tag names in these works' search documents (a tag they carry was renamed,
    merged away or deleted): set-based, a thousand works a statement, so a big tag costs a
    few statements rather than a query per work."""
    agg = "string_agg" if is_postgres() else "group_concat"
    ids = sorted(set(work_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), RETAG_CHUNK):
            chunk = ids[start : start + RETAG_CHUNK]
            tag_names = _TAG_NAMES_SQL.format(agg=agg, work="works_worksearch.work_id")
            sql = _RETAG_SQL.format(tag_names=tag_names, ids=", ".join(["%s"] * len(chunk)))
            cursor.execute(sql, chunk)


def works_search_recredit(work_ids) -> None:
    """Rewrite the creators' names in these works' search documents (a pseud or a login was
    renamed, a pseud deleted): set-based, as works_search_retag."""
    agg = "string_agg" if is_postgres() else "group_concat"
    ids = sorted(set(work_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), RETAG_CHUNK):
            chunk = ids[start : start + RETAG_CHUNK]
            names = _CREATOR_NAMES_SQL.format(agg=agg, work="works_worksearch.work_id")
            sql = _RECREDIT_SQL.format(names=names, ids=", ".join(["%s"] * len(chunk)))
            cursor.execute(sql, chunk)


def works_search_rebuild() -> int:
    """Rebuild every search document in one set-based statement; returns the row count."""
    agg = "string_agg" if is_postgres() else "group_concat"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM works_worksearch")
        tag_names = _TAG_NAMES_SQL.format(agg=agg, work="w.id")
        creator_names = _CREATOR_NAMES_SQL.format(agg=agg, work="w.id")
        cursor.execute(_REBUILD_SQL.format(tag_names=tag_names, creator_names=creator_names))
        if is_postgres():
            cursor.execute("ANALYZE works_worksearch")
    return WorkSearch.objects.count()
