"""Reading an eFiction dump: the MySQL tokenizer (works/importing/sqldump.py) and the archive
reader (works/importing/efiction.py), on the dump written for these tests."""

import datetime
from pathlib import Path

import pytest

from tags.models import TAG_NAME_MAX_LENGTH, TagType
from tests.security import corpus_inputs
from works.importing.efiction import legal_tag_name, read_archive
from works.importing.sqldump import DumpError, read_tables, unquote_string

HERE = Path(__file__).resolve().parent
DUMP = HERE / "efiction_dump.sql"
STORIES = HERE / "efiction_stories"


def sql_string(text: str) -> str:
    """`text` as mysqldump quotes it."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\0", "\\0")
        .replace("\x1a", "\\Z")
    )
    return f"'{escaped}'"


def test_values_keep_quotes_backslashes_newlines_nulls_and_numbers():
    dump = (
        "INSERT INTO `t` (`a`, `b`, `c`, `d`, `e`) VALUES "
        "('it\\'s','back\\\\slash\\nnext line',NULL,-12,3.5),"
        "('doubled '' quote','tab\\there \\\"quoted\\\"',0,7,1e3);"
    )
    rows = read_tables(dump, ["t"])["t"]
    assert rows == [
        {"a": "it's", "b": "back\\slash\nnext line", "c": None, "d": -12, "e": 3.5},
        {"a": "doubled ' quote", "b": 'tab\there "quoted"', "c": 0, "d": 7, "e": 1000.0},
    ]


def test_columns_come_from_create_table_when_the_insert_names_none():
    dump = """
        CREATE TABLE `people` (
          `id` int(11) NOT NULL AUTO_INCREMENT,
          `name` varchar(20) NOT NULL DEFAULT 'a, (b)',
          PRIMARY KEY (`id`),
          KEY `name` (`name`)
        ) ENGINE=MyISAM;
        INSERT INTO `people` VALUES (1,'Ada'),(2,'Grace; (Hopper)');
    """
    assert read_tables(dump, ["people"])["people"] == [
        {"id": 1, "name": "Ada"},
        {"id": 2, "name": "Grace; (Hopper)"},
    ]


def test_comments_other_statements_and_other_tables_are_skipped():
    dump = """
        -- a comment with 'a quote
        # another; with a semicolon
        /*!40101 SET NAMES utf8 */;
        /* INSERT INTO `t` VALUES (99); */
        CREATE DATABASE old; USE old;
        INSERT INTO `other` (`x`) VALUES ('not wanted');
        INSERT IGNORE INTO `db`.`t` (`x`) VALUES (_utf8mb4'kept'), (0x4869);
    """
    assert read_tables(dump, ["t"]) == {"t": [{"x": "kept"}, {"x": "Hi"}]}


def test_every_hostile_text_survives_the_round_trip_unchanged():
    texts = corpus_inputs()
    rows = ",".join(f"({n},{sql_string(text)})" for n, text in enumerate(texts))
    dump = f"INSERT INTO `t` (`n`, `text`) VALUES {rows};"
    assert [row["text"] for row in read_tables(dump, ["t"])["t"]] == texts


@pytest.mark.parametrize(
    "dump, where",
    [
        ("INSERT INTO `t` (`a`) VALUES ('never closed);", "unterminated quote at line 1"),
        ("INSERT INTO `t` (`a`, `b`) VALUES (1);", "1 values for 2 columns"),
        ("INSERT INTO `t` VALUES (1);", "names no columns"),
        ("\n\nINSERT INTO `t` (`a`) VALUES (1 2);", "line 3"),
        ("INSERT INTO `t` (`a`) VALUES (1", "unfinished row"),
    ],
)
def test_a_broken_dump_says_what_and_where(dump, where):
    with pytest.raises(DumpError, match=where):
        read_tables(dump, ["t"])


def test_unquote_keeps_like_escapes_as_mysql_does():
    assert unquote_string(r"'100\% \_ \x'") == r"100\% \_ x"


@pytest.fixture(scope="module")
def archive():
    return read_archive(DUMP.read_text(encoding="utf-8"), stories_dir=STORIES)


def _story(archive, sid):
    return next(story for story in archive.stories if story.sid == sid)


def test_stories_become_parsed_works_with_chapters_in_their_order(archive):
    lamp = _story(archive, 1).work
    assert lamp.title == "The Lamp at Low Water"
    assert [c.title for c in lamp.chapters] == ["Low Tide", "High Water", "The Log"]
    assert lamp.chapters[1].notes == "The storm chapter."
    assert lamp.chapters[2].endnotes == "Thank you for reading!"
    assert (
        lamp.notes
        == 'Thanks to my beta, who said "keep going".\nAnd to the keeper\'s log that started it.'
    )
    assert lamp.published == datetime.date(2009, 4, 2)
    assert _story(archive, 1).updated_at == datetime.datetime(
        2009, 6, 20, 18, 40, 5, tzinfo=datetime.UTC
    )
    assert lamp.complete and lamp.expected_chapters == 3
    assert (
        _story(archive, 2).work.complete is False
        and _story(archive, 2).work.expected_chapters is None
    )


def test_categories_characters_classes_and_ratings_become_typed_tags(archive):
    lamp = _story(archive, 1).work.tags
    assert lamp[TagType.FANDOM] == ["Lighthouse Keepers"]
    assert lamp[TagType.CHARACTER] == ["Ines Varga", "Tomas Reed"]
    assert lamp[TagType.FREEFORM] == ["Slow Burn"]
    assert lamp[TagType.CATEGORY] == ["F/M"]
    assert lamp[TagType.RATING] == ["Teen And Up Audiences"]
    assert lamp[TagType.WARNING] == ["Creator Chose Not To Use Archive Warnings"]
    crumbs = _story(archive, 3).work.tags
    assert crumbs[TagType.WARNING] == ["Major Character Death"]
    assert crumbs[TagType.CATEGORY] == ["Gen"]


def test_a_rating_we_do_not_have_becomes_not_rated_with_a_tag_and_a_note(archive):
    salt = _story(archive, 2).work
    assert salt.tags[TagType.RATING] == ["Not Rated"]
    assert "Rating: Grown-ups Only" in salt.tags[TagType.FREEFORM]
    assert any("Grown-ups Only" in note for note in salt.warnings)


def test_illegal_tag_names_become_legal_with_a_note(archive):
    salt = _story(archive, 2).work
    assert "Hurt/Comfort 3" in salt.tags[TagType.FREEFORM]
    assert "tag 'Hurt/Comfort <3' renamed 'Hurt/Comfort 3'" in salt.warnings
    crumbs = _story(archive, 3).work
    assert crumbs.tags[TagType.FANDOM] == ["Tea Cake & Scones"]
    assert "tag 'Tea, Cake & Scones' renamed 'Tea Cake & Scones'" in crumbs.warnings


def test_legal_tag_name_cuts_long_names_and_never_drops_in_silence():
    long_name = "word " * 60
    legal, note = legal_tag_name(long_name)
    assert 0 < len(legal) <= TAG_NAME_MAX_LENGTH and legal.endswith("word")
    assert "renamed" in note
    assert legal_tag_name("***") == ("", "tag '***' has no character a tag may hold: left out")
    assert legal_tag_name("Fine Name") == ("Fine Name", "")


def test_chapter_text_comes_from_the_stories_folder_when_not_in_the_database(archive):
    watch = _story(archive, 4)
    assert watch.skip_reason == ""
    assert watch.work.chapters[0].body.startswith("The second watch began at midnight")
    without_files = read_archive(DUMP.read_text(encoding="utf-8"))
    assert _story(without_files, 4).skip_reason == "the text of chapter 7 was not found"


def test_unvalidated_stories_are_skipped_with_a_reason(archive):
    assert _story(archive, 5).skip_reason == "not validated on the old archive"
    assert [s.sid for s in archive.stories if not s.skip_reason] == [1, 2, 3, 4]


def test_authors_coauthors_and_series(archive):
    assert {a.penname: a.email for a in archive.authors.values()} == {
        "Marrow Lane": "marrow@example.org",
        "quillfeather": "Quill@Example.org",
        "Juniper": "juniper@example.net",
    }
    assert _story(archive, 3).coauthor_uids == [1]
    assert _story(archive, 3).work.creators == ["Juniper", "Marrow Lane"]
    keepers = archive.series[1]
    assert keepers.title == "Keepers of the Light" and keepers.parts == [4, 1]
    assert [(s.title, s.position) for s in _story(archive, 1).work.series] == [
        ("Keepers of the Light", 2)
    ]


def test_a_table_prefix_other_than_fanfiction_is_read():
    text = DUMP.read_text(encoding="utf-8").replace("`fanfiction_", "`harbour_")
    assert read_archive(text, prefix="fanfiction_").stories == []
    assert len(read_archive(text, prefix="harbour_").stories) == 5
