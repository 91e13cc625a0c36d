"""The shipped translations (locale/<lang>/LC_MESSAGES/django.po) are complete: the
interface's strings are extracted afresh (makemessages, in a copy of the project so the
committed catalogues are untouched) and every one has a translation, not fuzzy, in every
shipped language. The compiled catalogues are the ones Django loads."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.i18n.po import read

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
COPIED = ["archive", "works", "tags", "templates", "static", "locale", "manage.py"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The .po files as makemessages leaves them after extracting today's strings."""
    copy = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    languages = [arg for code in SHIPPED for arg in ("-l", code)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", *languages],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return {code: read(copy / "locale" / code / "LC_MESSAGES" / "django.po") for code in SHIPPED}


def test_every_shipped_language_has_a_catalogue():
    assert sorted(SHIPPED) == ["ar", "de", "es"]
    for code in SHIPPED:
        assert (ROOT / "locale" / code / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("code", SHIPPED)
def test_every_interface_string_is_translated(extracted, code):
    entries = extracted[code][1:]  # after the header
    assert len(entries) > 1000
    missing = [entry.msgid for entry in entries if not entry.translated]
    assert missing == []


def test_a_string_without_translation_is_reported(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        'msgid "Words:"\nmsgstr "Wörter:"\n\n'
        'msgid "Kudos"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Hits:"\nmsgstr "Treffer:"\n\n'
        'msgid "%(n)d work"\nmsgid_plural "%(n)d works"\nmsgstr[0] "%(n)d Werk"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    entries = read(po)[1:]
    assert [(e.msgid, e.translated) for e in entries] == [
        ("Words:", True),
        ("Kudos", False),
        ("Hits:", False),
        ("%(n)d work", False),
    ]


@pytest.mark.parametrize(
    ("code", "label"),
    [("en", "Words:"), ("es", "Palabras:"), ("de", "Wörter:"), ("ar", "الكلمات:")],
)
def test_the_compiled_catalogues_are_loaded(code, label):
    with translation.override(code):
        assert translation.gettext("Words:") == label
