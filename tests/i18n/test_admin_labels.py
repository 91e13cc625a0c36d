"""The admin speaks the moderator's language too: every model of the archive's apps, and every
field on it, has a translatable name (so makemessages extracts it and test_catalogues.py holds
it to a translation), and the admin's own screens show those names translated."""

import re

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from tests.factories import make_user, make_work

OUR_APPS = ("archive", "works", "tags")


def our_models():
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def untranslatable_labels():
    missing = []
    for model in our_models():
        meta = model._meta
        for name in ("verbose_name", "verbose_name_plural"):
            if not isinstance(meta.original_attrs.get(name), Promise):
                missing.append(f"{meta.label} Meta.{name}")
        for field in meta.get_fields():
            if field.concrete and not field.auto_created:
                if not isinstance(field.verbose_name, Promise):
                    missing.append(f"{meta.label}.{field.name}")
    return missing


def test_every_model_and_field_of_ours_has_a_translatable_name():
    assert our_models(), "the archive's apps define models"
    assert untranslatable_labels() == []


@pytest.mark.django_db
def test_a_german_moderator_reads_the_admin_in_german(client):
    work = make_work(title="Ein Werk")
    admin_user = make_user(username="adminin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    response = client.get("/admin/works/workstats/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    html = response.content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>.*?</th>', html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", header) for header in headers)
    for german in ("Werk", "Aufrufe", "Kommentare", "Lesezeichen", "Abonnements"):
        assert german in text
    for english in ("Hits", "Comments", "Bookmarks", "Subscriptions"):
        assert english not in text
    assert work.title in html


@pytest.mark.django_db
def test_field_labels_follow_the_active_language():
    from works.models import Reading

    label = Reading._meta.get_field("last_visited_at").verbose_name
    with translation.override("es"):
        assert str(label) == "Última visita"
    with translation.override("ar"):
        assert str(label) == "آخر زيارة"
    with translation.override("en"):
        assert str(label) == "Last visited"


# Labels that read the same in a shipped language (proper names, loanwords), by language.
SAME_IN = {
    "es": {"Kudos", "slug", "Error"},  # "Kudos" as AO3 in Spanish, "slug" as web Spanish
    "de": {"Kudos", "Status", "Tags", "Text"},  # German words spelt as the English
    "ar": set(),
}
# Issue 20's admin (challenges, tag sets): fandom words Spanish and German readers use as is.
SAME_IN["es"] |= {"Fandom", "Prompt", "prompt", "prompts"}
SAME_IN["de"] |= {"Challenge", "Detail", "Fandom", "Position", "Prompt", "Tag"}


def _admin_labels():
    from django.contrib import admin

    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        meta = model._meta
        yield f"{meta.label} Meta.verbose_name", meta.verbose_name
        yield f"{meta.label} Meta.verbose_name_plural", meta.verbose_name_plural
        for field in meta.get_fields():
            if field.concrete and not field.auto_created:
                yield f"{meta.label}.{field.name}", field.verbose_name


@pytest.mark.parametrize("language", ["es", "de", "ar"])
def test_every_admin_label_is_translated_into_each_shipped_language(language):
    """A label with no entry in the language's catalogue (makemessages not run, or the
    msgstr left empty) shows in English: caught here for every admin-registered model."""
    labels = list(_admin_labels())
    assert labels, "the admin registers models of ours"
    untranslated = []
    for where, label in labels:
        with translation.override("en"):
            english = str(label)
        with translation.override(language):
            translated = str(label)
        if translated == english and english not in SAME_IN[language]:
            untranslated.append(f"{where}: {english!r}")
    assert untranslated == []
