"""The people behind /users/<login> pages."""

from django.contrib.auth import get_user_model
from django.http import Http404


def person_or_404(login):
    """The account behind /users/<login> (letter case ignored), or 404. A NUL, which
    PostgreSQL refuses in any text, names nobody (the pages' <name:login> never passes one;
    the API's paths may)."""
    if "\x00" in login:
        raise Http404
    user = get_user_model().objects.filter(username__iexact=login, is_active=True).first()
    if user is None:
        raise Http404
    return user


def owner_or_404(request, login):
    """The logged-in user when /users/<login> is their own page, else 404."""
    if login.lower() != request.user.username.lower():
        raise Http404
    return request.user
