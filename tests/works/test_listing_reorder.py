"""`manage.py listing_reorder` rewrites the listings' tag table in fandom order: one fandom's
works end up side by side on disk, nothing in the table changes, the triggers go on keeping
it exact, and listings show the same works before and after."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tags.models import TagType
from tests.factories import make_user, make_work
from works.listing import tagsets

pytestmark = pytest.mark.django_db
ON_POSTGRES = connection.vendor == "postgresql"


def _listed(client, fandom):
    response = client.get(f"/tags/{fandom}/works")
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<li id="work_(\d+)"', response.content.decode())]


def _disk_order():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT work_id FROM {tagsets.TABLE} ORDER BY ctid")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres_only  # the table is PostgreSQL's only
def test_reordering_groups_a_fandom_and_keeps_everything(client):
    author = make_user(username="reorderer")
    fandoms = {"Tidal Orchard": [], "Quiet Lanterns": []}
    for n in range(6):  # posted alternately, so the table holds them interleaved
        name = list(fandoms)[n % 2]
        work = make_work(creator=author, title=f"Reordered {n}", tags={TagType.FANDOM: [name]})
        fandoms[name].append(work.pk)
    before = {name: _listed(client, name) for name in fandoms}
    assert sorted(before["Tidal Orchard"]) == sorted(fandoms["Tidal Orchard"])

    call_command("listing_reorder")

    assert tagsets.mismatches() == []
    order = _disk_order()
    groups = [order.index(pk) for pk in fandoms["Tidal Orchard"]]
    others = [order.index(pk) for pk in fandoms["Quiet Lanterns"]]
    assert max(groups) < min(others) or max(others) < min(groups), order
    assert {name: _listed(client, name) for name in fandoms} == before
    # The triggers write to the new table: a work posted afterwards is listed at once.
    late = make_work(creator=author, title="Posted after", tags={TagType.FANDOM: ["Tidal Orchard"]})
    assert late.pk in _listed(client, "Tidal Orchard")
    assert tagsets.mismatches() == []


def test_the_command_runs_where_the_table_exists_and_says_why_elsewhere(capsys):
    if ON_POSTGRES:
        call_command("listing_reorder")
        assert "Reordered works_worktagset" in capsys.readouterr().out
        assert tagsets.mismatches() == []
    else:
        with pytest.raises(CommandError, match="Only PostgreSQL"):
            call_command("listing_reorder")
