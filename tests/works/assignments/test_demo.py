"""The demo's gift exchange: its assignments were sent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from archive.models import InboxItem
from works.demo.assignments import EXCHANGE_NAME

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_exchange_whose_assignments_were_sent():
    call_command("load_demo", stdout=StringIO())
    users = get_user_model().objects
    author = Client()
    author.force_login(users.get(username="demo_author"))
    page = author.get("/users/demo_author/assignments").content.decode()
    assert "Midwinter Lights Swap" in page and "for fogbell" in page
    assert "Letters across the strait" in page
    assert InboxItem.objects.filter(recipient__username="demo_author", kind="assign").exists()
    owner = Client()
    owner.force_login(users.get(username="harbour_quill"))
    defaulted = owner.get(f"/collections/{EXCHANGE_NAME}/assignments").content.decode()
    assert "for keel_and_quill" not in defaulted  # listed by recipient on this tab
    assert "keel_and_quill" in defaulted and "demo_author" in defaulted  # the volunteer
    complete = owner.get(f"/collections/{EXCHANGE_NAME}/assignments?fulfilled=true")
    assert "Gift posted on" in complete.content.decode()
    guest = Client().get(f"/collections/{EXCHANGE_NAME}/works").content.decode()
    assert "The Morning With Nothing Due" not in guest  # a mystery until the reveal date
