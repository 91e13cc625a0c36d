"""`{% site_url path %}`: an absolute link built from ARCHIVE_SITE_URL (archive/site.py)."""

from django import template

from archive import site

register = template.Library()


@register.simple_tag(name="site_url")
def site_url(path="/"):
    return site.site_url(path)
