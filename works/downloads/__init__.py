"""Downloads of a work: HTML, EPUB, and with Calibre AZW3, MOBI and PDF (issue 16).

- `formats`: which formats this site offers (Calibre's formats only where `ebook-convert`
  is installed), their labels and media types.
- `document`: what every file holds, built once from the work as a guest sees it (so an
  anonymous creator stays anonymous in every copy): preface, chapters, afterword, metadata.
- `epub`: the EPUB 3 file (EbookLib), `convert`: Calibre's conversions from it.
- `store`: files built once per version of the work, kept in the "downloads" storage, with
  at most ARCHIVE_DOWNLOAD_BUILDS builds at a time; `build_download()` is the task.
"""
