"""Markup that readers' AO3 tools parse (docs/markup.md, "Readers' AO3 clients")."""

from django import template

from works.templatetags.works_extras import local_date

register = template.Library()

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def ao3_date(value):
    """A date as AO3 prints it in blurbs and lists: `02 Dec 2026` (English month, never
    translated: clients read it with strptime("%d %b %Y")), in the site's time zone."""
    if not value:
        return ""
    day = local_date(value)
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"
