"""`{% site_url path %}`: an absolute link built from ARCHIVE_SITE_URL (archive/site.py);
`{% signup_by_invitation as invite %}`: whether sign-up needs an invitation."""

from django import template
from django.conf import settings

from archive import site

register = template.Library()


@register.simple_tag(name="site_url")
def site_url(path="/"):
    return site.site_url(path)


@register.simple_tag(name="signup_by_invitation")
def signup_by_invitation():
    """Whether new accounts need an invitation (ARCHIVE_SIGNUP = "invite")."""
    return settings.ARCHIVE_SIGNUP == "invite"
