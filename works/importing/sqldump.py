"""Rows out of a MySQL dump (the .sql text mysqldump, phpMyAdmin or Sequel Pro write), read
without a MySQL server.

`read_tables(text, names)` answers {table: [row, ...]} for the tables named, each row a dict
of column name to value: str for quoted strings, int or float for numbers, None for NULL.
Column names come from the INSERT's own column list, or else from the table's CREATE TABLE
(mysqldump leaves them out of INSERTs unless --complete-insert).

The dump is split into tokens by one regular expression (`_TOKEN`): quoted strings with
MySQL's escapes (\\' \\" \\\\ \\n \\r \\t \\0 \\b \\Z, and a doubled quote), backquoted names,
numbers, words, punctuation; comments (`-- `, `#`, `/* */`, including mysqldump's
`/*!40101 ... */` version comments) are skipped. A small parser walks the tokens of each
CREATE TABLE and INSERT/REPLACE INTO statement; every other statement is skipped to its `;`.
A dump that ends inside a string, or a row that does not match its columns, raises
`DumpError` with the line it was found on.
"""

import re
from collections.abc import Iterable, Iterator

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>(?:--[ \t][^\n]*|--\n|\#[^\n]*|/\*.*?\*/))
  | (?P<string>'(?:[^'\\]++|\\.|'')*+'|"(?:[^"\\]++|\\.|"")*+")
  | (?P<name>`(?:[^`]++|``)*+`)
  | (?P<hex>0x[0-9A-Fa-f]*|[Xx]'[0-9A-Fa-f]*')
  | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<punct>[(),;.=])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# MySQL's backslash escapes in quoted strings; any other escaped character stands for itself
# (\% and \_ keep their backslash, as MySQL does outside LIKE patterns).
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_ESCAPE = re.compile(r"\\(.)|''|\"\"", re.DOTALL)
# Words that open something other than a column in a CREATE TABLE's parentheses.
_NOT_COLUMNS = {
    "PRIMARY",
    "KEY",
    "INDEX",
    "UNIQUE",
    "FULLTEXT",
    "SPATIAL",
    "CONSTRAINT",
    "FOREIGN",
    "CHECK",
}


class DumpError(ValueError):
    """The dump could not be read; the message says where."""


def unquote_string(token: str) -> str:
    """The value of a quoted MySQL string token, its escapes undone."""

    def undo(match):
        escaped = match.group(1)
        if escaped is None:
            return match.group(0)[0]
        if escaped in "%_":
            return "\\" + escaped
        return _ESCAPES.get(escaped, escaped)

    return _ESCAPE.sub(undo, token[1:-1])


def _unquote_name(token: str) -> str:
    return token[1:-1].replace("``", "`")


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each token, comments and white space left out."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "other" and value in "'\"`":
            raise DumpError(f"unterminated quote at line {_line(text, match.start())}")
        if kind == "other" and value == "/" and text.startswith("/*", match.start()):
            raise DumpError(f"unterminated comment at line {_line(text, match.start())}")
        yield kind, value, match.start()


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _value(kind: str, value: str):
    if kind == "string":
        return unquote_string(value)
    if kind == "number":
        return float(value) if any(ch in value for ch in ".eE") else int(value)
    if kind == "hex":
        digits = value[2:] if value.startswith("0x") else value[2:-1]
        return bytes.fromhex(digits).decode("utf-8", errors="replace")
    if kind == "word":
        upper = value.upper()
        if upper == "NULL":
            return None
        if upper in ("TRUE", "FALSE"):
            return int(upper == "TRUE")
    raise ValueError(value)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.stream = tokens(text)
        self.peeked: tuple[str, str, int] | None = None

    def next(self) -> tuple[str, str, int] | None:
        if self.peeked is not None:
            token, self.peeked = self.peeked, None
            return token
        return next(self.stream, None)

    def peek(self) -> tuple[str, str, int] | None:
        if self.peeked is None:
            self.peeked = next(self.stream, None)
        return self.peeked

    def fail(self, message: str, offset: int) -> DumpError:
        return DumpError(f"{message} at line {_line(self.text, offset)}")

    def expect(self, text: str) -> tuple[str, str, int]:
        token = self.next()
        if token is None or token[1].upper() != text:
            offset = token[2] if token else len(self.text)
            raise self.fail(f"expected {text!r}", offset)
        return token

    def skip_statement(self) -> None:
        while (token := self.next()) is not None and token[1] != ";":
            pass

    def table_name(self) -> str:
        """A table name, `db`.`table` read as the table's."""
        name = ""
        while True:
            token = self.next()
            if token is None or token[0] not in ("name", "word"):
                raise self.fail("expected a table name", token[2] if token else len(self.text))
            name = _unquote_name(token[1]) if token[0] == "name" else token[1]
            following = self.peek()
            if following is None or following[1] != ".":
                return name
            self.next()

    def create_table(self) -> tuple[str, list[str]]:
        token = self.peek()
        if token and token[1].upper() == "IF":
            for word in ("IF", "NOT", "EXISTS"):
                self.expect(word)
        name = self.table_name()
        self.expect("(")
        columns, depth, at_start = [], 1, True
        while depth:
            token = self.next()
            if token is None:
                raise self.fail("unfinished CREATE TABLE", len(self.text))
            kind, value, _offset = token
            if depth == 1 and at_start:
                if kind == "name":
                    columns.append(_unquote_name(value))
                elif kind == "word" and value.upper() not in _NOT_COLUMNS:
                    columns.append(value)
            at_start = depth == 1 and value == ","
            if value == "(":
                depth += 1
            elif value == ")":
                depth -= 1
        self.skip_statement()
        return name, columns

    def insert(self) -> tuple[str, list[str] | None, list[list]]:
        token = self.peek()
        while token and token[1].upper() in ("IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"):
            self.next()
            token = self.peek()
        if token and token[1].upper() == "INTO":
            self.next()
        name = self.table_name()
        columns = None
        if (self.peek() or ("", "", 0))[1] == "(":
            self.next()
            columns = []
            while (token := self.next()) is not None and token[1] != ")":
                if token[0] == "name":
                    columns.append(_unquote_name(token[1]))
                elif token[0] == "word":
                    columns.append(token[1])
        token = self.next()
        if token is None or token[1].upper() not in ("VALUES", "VALUE"):
            raise self.fail(
                "expected VALUES (INSERT ... SELECT is not read)", token[2] if token else 0
            )
        rows = []
        while True:
            rows.append(self.row())
            token = self.next()
            if token is None or token[1] == ";":
                break
            if token[1] != ",":
                raise self.fail(f"unexpected {token[1]!r} after a row", token[2])
        return name, columns, rows

    def row(self) -> list:
        start = self.expect("(")
        values = []
        while True:
            token = self.next()
            if token is None:
                raise self.fail("unfinished row", start[2])
            kind, value, offset = token
            if (
                kind == "word"
                and value.startswith("_")
                and (self.peek() or ("",))[0]
                in (
                    "string",
                    "hex",
                )
            ):
                kind, value, offset = self.next()  # a charset introducer: _utf8mb4'...'
            try:
                values.append(_value(kind, value))
            except ValueError:
                raise self.fail(f"unexpected {value!r} in a row", offset) from None
            token = self.next()
            if token is None:
                raise self.fail("unfinished row", start[2])
            if token[1] == ")":
                return values
            if token[1] != ",":
                raise self.fail(f"unexpected {token[1]!r} in a row", token[2])


def read_tables(text: str, names: Iterable[str]) -> dict[str, list[dict]]:
    """The rows of the tables named (each a dict of column to value), in dump order. A table
    named but absent from the dump has no rows."""
    wanted = set(names)
    tables: dict[str, list[dict]] = {name: [] for name in wanted}
    columns_of: dict[str, list[str]] = {}
    parser = _Parser(text)
    while (token := parser.next()) is not None:
        kind, value, offset = token
        word = value.upper() if kind == "word" else ""
        if word == "CREATE" and (parser.peek() or ("", ""))[1].upper() == "TABLE":
            parser.next()
            name, columns = parser.create_table()
            columns_of[name] = columns
        elif word in ("INSERT", "REPLACE"):
            name, columns, rows = parser.insert()
            if name not in wanted:
                continue
            columns = columns or columns_of.get(name)
            if not columns:
                raise parser.fail(
                    f"INSERT into {name} names no columns and no CREATE TABLE", offset
                )
            for row in rows:
                if len(row) != len(columns):
                    raise parser.fail(
                        f"a row of {name} has {len(row)} values for {len(columns)} columns",
                        offset,
                    )
                tables[name].append(dict(zip(columns, row, strict=True)))
        elif value != ";":
            parser.skip_statement()
    return tables


def decode_dump(data: bytes) -> str:
    """A dump's bytes as text: UTF-8, or Windows-1252 (what old latin1 archives hold)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
