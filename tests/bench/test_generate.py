"""tests.bench.generate builds the benchmark archive: its shape must be what listings expect."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F

from archive.models import Pseud
from tags.filtering import filter_tag_ids_for
from tags.models import Tag, TagType
from tests.bench.generate.cli import main
from works.listing.search import search_works
from works.models import (
    Chapter,
    FilterTagging,
    Series,
    SeriesWork,
    TaggedWork,
    Work,
    WorkCreator,
    WorkSearch,
    WorkStats,
)
from works.rendering import RENDER_VERSION, count_words, render_markdown

pytestmark = pytest.mark.django_db

WORKS = 300


def generate(capsys, *flags, works=WORKS, seed=7):
    """What the command line prints, once it has generated the works."""
    capsys.readouterr()
    assert main(["--works", str(works), "--seed", str(seed), *flags]) == 0
    return capsys.readouterr().out


def snapshot():
    return {
        "works": list(
            Work.objects.order_by("pk").values_list(
                "pk",
                "title",
                "word_count",
                "chapter_count",
                "posted",
                "restricted",
                "hidden_by_moderator",
                "language",
                "published_at",
                "revised_at",
            )
        ),
        "tags": list(Tag.objects.order_by("pk").values_list("pk", "name", "merger_id")),
        "taggings": list(
            TaggedWork.objects.order_by("content_object_id", "tag_id").values_list(
                "content_object_id", "tag_id"
            )
        ),
        "stats": list(WorkStats.objects.order_by("pk").values_list("pk", "hits", "kudos")),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "username")),
    }


def test_generated_archive_has_the_asked_shape(capsys):
    output = generate(capsys)
    assert "Done: 300 works" in output

    assert Work.objects.count() == WORKS
    assert get_user_model().objects.count() == 30
    assert WorkStats.objects.count() == WORKS
    assert WorkCreator.objects.values("work").distinct().count() == WORKS
    per_work = Chapter.objects.values("work").annotate(n=Count("pk"))
    assert len(per_work) == WORKS
    multi = sum(1 for row in per_work if row["n"] > 1)
    assert 0.04 * WORKS <= multi <= 0.2 * WORKS

    tags_per_work = TaggedWork.objects.count() / WORKS
    assert 15 <= tags_per_work <= 19
    # Exactly one rating and at least one warning on every work.
    ratings = TaggedWork.objects.filter(tag__type=TagType.RATING)
    assert ratings.count() == WORKS
    assert ratings.values("content_object").distinct().count() == WORKS
    warned = TaggedWork.objects.filter(tag__type=TagType.WARNING).values("content_object")
    assert warned.distinct().count() == WORKS
    fandom_counts = [
        row["n"]
        for row in TaggedWork.objects.filter(tag__type=TagType.FANDOM)
        .values("content_object")
        .annotate(n=Count("pk"))
    ]
    assert len(fandom_counts) == WORKS
    assert any(n > 1 for n in fandom_counts), "some crossovers"

    assert Work.objects.filter(posted=False).exists()
    assert Work.objects.filter(restricted=True).exists()
    assert Work.objects.filter(hidden_by_moderator=True).exists()
    assert Work.objects.values("language").distinct().count() > 1
    assert Series.objects.exists() and SeriesWork.objects.exists()


def test_tags_have_wrangling_a_long_tail_and_counts(capsys):
    generate(capsys)
    fandoms = Tag.objects.filter(type=TagType.FANDOM, canonical=True)
    assert fandoms.count() >= 20
    # Every generated fandom sits under a media tag, characters and relationships under fandoms.
    for tag in fandoms.prefetch_related("parents")[:20]:
        assert {p.type for p in tag.parents.all()} == {TagType.MEDIA}
    character = Tag.objects.filter(type=TagType.CHARACTER).first()
    assert character.parents.filter(type=TagType.FANDOM).exists()
    assert Tag.objects.filter(merger__isnull=False).exists()
    assert Tag.meta_tags.through.objects.exists()

    # Long tail: the biggest fandom has many times the works of the median one.
    counts = sorted(
        TaggedWork.objects.filter(tag__type=TagType.FANDOM, tag__canonical=True)
        .values("tag")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert counts[-1] >= 5 * counts[len(counts) // 2]

    # work_count: posted works not hidden by moderators carrying the tag directly.
    for tag in Tag.objects.filter(work_count__gt=0).order_by("pk")[:40]:
        expected = Work.objects.filter(
            taggings__tag=tag, posted=True, hidden_by_moderator=False
        ).count()
        assert tag.work_count == expected, tag.name


def test_filter_rows_match_the_wrangling_rules(capsys):
    generate(capsys)
    sample = list(Work.objects.order_by("pk")[::10])
    for work in sample:
        tags = [tagging.tag for tagging in work.taggings.select_related("tag")]
        rows = set(FilterTagging.objects.filter(work=work).values_list("tag_id", flat=True))
        assert rows == filter_tag_ids_for(tags), work.pk
    # A synonym's work is found under its canonical tag, a sub tag's under its meta tag.
    synonym_tagging = TaggedWork.objects.filter(tag__merger__isnull=False).first()
    assert synonym_tagging is not None
    assert FilterTagging.objects.filter(
        work_id=synonym_tagging.content_object_id, tag_id=synonym_tagging.tag.merger_id
    ).exists()
    meta_link = Tag.meta_tags.through.objects.filter(from_tag__tagged_works__isnull=False).first()
    assert meta_link is not None
    work_id = TaggedWork.objects.filter(tag_id=meta_link.from_tag_id).first().content_object_id
    assert FilterTagging.objects.filter(work_id=work_id, tag_id=meta_link.to_tag_id).exists()


def test_rows_reference_existing_rows(capsys):
    generate(capsys)
    work_ids = set(Work.objects.values_list("pk", flat=True))
    tag_ids = set(Tag.objects.values_list("pk", flat=True))
    user_ids = set(get_user_model().objects.values_list("pk", flat=True))
    assert set(TaggedWork.objects.values_list("content_object_id", flat=True)) <= work_ids
    assert set(TaggedWork.objects.values_list("tag_id", flat=True)) <= tag_ids
    assert set(FilterTagging.objects.values_list("tag_id", flat=True)) <= tag_ids
    assert set(Chapter.objects.values_list("work_id", flat=True)) == work_ids
    assert set(WorkCreator.objects.values_list("user_id", flat=True)) <= user_ids
    # Every generated account has its default pseud, named as its login, and each work is
    # posted under one of its creator's pseuds (archive.models.pseuds, as the site makes them).
    users = get_user_model().objects.annotate(defaults=Count("pseuds"))
    assert {u.username: u.defaults for u in users} == {u.username: 1 for u in users}
    assert not Pseud.objects.exclude(name=F("user__username")).exists()
    assert not WorkCreator.objects.exclude(pseud__user=F("user")).exists()
    assert Pseud.objects.create(user=get_user_model().objects.first(), name="Fresh Pen").pk
    assert set(Tag.parents.through.objects.values_list("to_tag_id", flat=True)) <= tag_ids


def test_text_is_rendered_and_word_counts_add_up(capsys):
    generate(capsys)
    bench_work = Work.objects.order_by("pk").first()
    assert bench_work.posted and not bench_work.restricted and not bench_work.hidden_by_moderator
    assert bench_work.word_count == 6000 and bench_work.chapter_count == 1
    assert bench_work.tags.filter(name="General Audiences").exists()

    full_text = Chapter.objects.filter(work__posted=True).order_by("work_id", "position")[:40]
    for chapter in full_text:
        assert chapter.render_version == RENDER_VERSION
        assert count_words(chapter.body_html) == chapter.word_count, chapter.work_id
        assert render_markdown(chapter.body) == chapter.body_html
    for work in Work.objects.filter(posted=True).order_by("pk")[:60]:
        chapters = work.chapters.filter(posted=True)
        assert work.word_count == sum(c.word_count for c in chapters)
        assert work.chapter_count == len(chapters)
    bulk = Chapter.objects.order_by("-work_id").first()
    assert render_markdown(bulk.body) == bulk.body_html


def test_same_seed_gives_the_same_archive(capsys):
    generate(capsys, seed=11)
    first = snapshot()
    generate(capsys, "--force", seed=11)
    assert snapshot() == first
    generate(capsys, "--force", seed=12)
    assert snapshot()["taggings"] != first["taggings"]


def test_refuses_a_database_that_holds_works_unless_told(capsys):
    generate(capsys, works=20)
    assert main(["--works", "20"]) == 1
    assert "already holds 20 works" in capsys.readouterr().err
    assert Work.objects.count() == 20
    generate(capsys, "--append", works=15)
    assert Work.objects.count() == 35
    assert Work.objects.values("pk").distinct().count() == 35


def test_every_work_has_a_search_document_that_search_finds(capsys):
    generate(capsys)
    assert WorkSearch.objects.count() == WORKS
    bench_work = Work.objects.order_by("pk").first()
    document = WorkSearch.objects.get(work=bench_work)
    assert document.title == bench_work.title
    assert document.creators == bench_work.creators.get().username
    assert set(document.tags.split(" ")) >= {"General", "Audiences"}
    assert bench_work in search_works(Work.objects.all(), "Six Thousand Word Story")


def test_refuses_fewer_than_one_work(capsys):
    with pytest.raises(SystemExit):
        main(["--works", "0"])
    assert "must be at least 1" in capsys.readouterr().err
    assert not Work.objects.exists()
