"""Server-rendered, accessible bar charts for the stats pages (no JavaScript).

`bar_chart()` returns a <figure> holding an <svg role="img"> labelled by its <title> and
<desc>, and a table of the same numbers that only screen readers read (class "landmark").
The SVG carries classes, never colours or inline style: site.css paints them with the skin's
custom properties (--accent, --rule, --muted), so every skin (archive/appearance.py) reads
them and the Content-Security-Policy, which forbids inline style, has nothing to object to.
Each bar also has its own <title> (the label and number), shown when pointed at.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 600, 180
TOP, BOTTOM, LEFT = 12, 28, 44  # room for the largest number and the first/last label
GAP = 0.2  # of each slot, between bars


@dataclass
class Chart:
    slug: str  # unique on the page: the ids of the title and description
    title: str
    description: str
    labels: list[str]
    values: list[int]
    column: str  # the header of the numbers' column
    label_column: str
    extra: list[str] | None = None  # a third column (e.g. a percentage), table only
    extra_column: str = ""
    classes: list[str] = field(default_factory=list)


def _bars(chart: Chart) -> SafeString:
    count = max(len(chart.values), 1)
    top = max(chart.values, default=0) or 1
    slot = (WIDTH - LEFT) / count
    plot = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        height = plot * value / top
        bars.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>",
                f"{LEFT + index * slot + slot * GAP / 2:.1f}",
                f"{TOP + plot - height:.1f}",
                f"{slot * (1 - GAP):.1f}",
                f"{height:.1f}",
                label,
                value,
            )
        )
    return mark_safe("".join(bars))


def _axes(chart: Chart) -> SafeString:
    base = HEIGHT - BOTTOM
    top = max(chart.values, default=0)
    parts = [
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>', LEFT, base, WIDTH, base
        ),
        format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT - 6,
            TOP + 10,
            top,
        ),
        format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">0</text>', LEFT - 6, base
        ),
    ]
    if chart.labels:
        y = HEIGHT - 8
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}">{}</text>', LEFT, y, chart.labels[0]
            )
        )
        if len(chart.labels) > 1:
            parts.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                    WIDTH,
                    y,
                    chart.labels[-1],
                )
            )
    return mark_safe("".join(parts))


def _table(chart: Chart) -> SafeString:
    extra = chart.extra or [None] * len(chart.values)
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td>{}</tr>',
        (
            (label, value, format_html("<td>{}</td>", more) if more is not None else "")
            for label, value, more in zip(chart.labels, chart.values, extra, strict=True)
        ),
    )
    extra_head = format_html('<th scope="col">{}</th>', chart.extra_column) if chart.extra else ""
    return format_html(
        '<table class="landmark"><caption>{}</caption><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table>',
        chart.title,
        chart.label_column,
        chart.column,
        extra_head,
        rows,
    )


def bar_chart(chart: Chart) -> SafeString:
    if not chart.values:
        return format_html(
            '<figure class="stats-chart"><figcaption>{}</figcaption><p>{}</p></figure>',
            chart.title,
            _("Nothing yet."),
        )
    return format_html(
        '<figure class="stats-chart {}"><figcaption aria-hidden="true">{}</figcaption>'
        '<svg role="img" viewBox="0 0 {} {}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>{}</figure>',
        " ".join(chart.classes),
        chart.title,
        WIDTH,
        HEIGHT,
        chart.slug,
        chart.slug,
        chart.slug,
        chart.title,
        chart.slug,
        chart.description,
        _axes(chart),
        _bars(chart),
        _table(chart),
    )
