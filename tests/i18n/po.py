"""A small reader of gettext .po files, enough for the catalogue tests and the translation
tools: entries with their context, singular, plural, translations, flags and comments."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text else ""


def read(path: Path) -> list[Entry]:
    """Every entry, the header (msgid "") first; obsolete (#~) entries are left out."""
    entries, entry, target = [], Entry(), None

    def finish():
        nonlocal entry
        if target is not None:
            entries.append(entry)
        entry = Entry()

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
                target = None
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
            else:
                entry.comments.append(raw)
            continue
        word, _, rest = line.partition(" ")
        if word.startswith('"'):
            value = _unquote(line)
        else:
            if word in {"msgctxt", "msgid"} and target is not None and target[0] == "msgstr":
                finish()
            value = _unquote(rest)
            if word.startswith("msgstr["):
                target = ("msgstr", int(word[7:-1]))
            elif word == "msgstr":
                target = ("msgstr", 0)
            else:
                target = (word, None)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] = ""
            else:
                setattr(entry, word, "")
        if target[0] == "msgstr":
            entry.msgstr[target[1]] += value
        else:
            setattr(entry, target[0], (getattr(entry, target[0]) or "") + value)
    finish()
    return entries
