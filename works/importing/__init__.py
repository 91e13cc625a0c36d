"""Importers: files, URLs and archive dumps read into `ParsedWork`s (works/importing/parsed.py),
which works/services/imports.py posts through the same services as the posting form."""
