"""Markup that readers' AO3 tools parse (docs/markup.md, "Readers' AO3 clients")."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def ao3_date(value):
    """A date as AO3 prints it in blurbs and lists: `02 Dec 2026` (English month, never
    translated: clients read it with strptime("%d %b %Y")), in the site's time zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"{value.day:02d} {MONTHS[value.month - 1]} {value.year}"
