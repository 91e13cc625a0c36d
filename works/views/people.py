"""People's pages that list works: the home page, a user's dashboard, works and profile,
and their inbox (comments with reply forms). Accounts themselves are archive's."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from archive.auth import login_required, return_path
from archive.models import InboxItem, Pseud
from archive.params import MAX_ID, parse_int, parse_ints
from archive.people import owner_or_404, person_or_404
from works.forms.feedback import CommentForm
from works.listing.pages import work_list_response
from works.listing.pagination import pagination_links
from works.models import Series, Subscription, Work
from works.pages.pseuds import profile_links
from works.pages.stats import user_stats as stats_of
from works.services import feedback

HOME_WORKS = 10
PEOPLE_WORKS = 20
PER_PAGE = 20


def home(request):
    works = (
        Work.objects.visible_to(request.user)
        .published()
        .without_secrets_from(request.user)
        .for_listing()
        .order_by("-revised_at", "-id")[:HOME_WORKS]
    )
    return render(request, "archive/home.html", {"works": works})


def _posted_works(request, person):
    # Works whose creators an anonymous or unrevealed collection keeps secret are not listed
    # under their creator (works.models.visibility).
    works = (
        Work.objects.visible_to(request.user)
        .posted()
        .naming_creators_to(request.user)
        .filter(work_creators__user=person)
    )
    return works.for_listing().order_by("-revised_at", "-id")


def user_dashboard(request, login):
    person = person_or_404(login)
    works = _posted_works(request, person)
    is_owner = request.user.is_authenticated and request.user.pk == person.pk
    drafts = (
        Work.objects.drafts_of(person).order_by("-updated_at") if is_owner else Work.objects.none()
    )
    # A series shows once the reader may see one of its works (so a draft's series stays hidden).
    series = (
        Series.objects.filter(
            creators=person,
            series_works__work__in=Work.objects.visible_to(request.user)
            .posted()
            .naming_creators_to(request.user),
        )
        .distinct()
        .order_by("title")
    )
    context = {
        "person": person,
        "pseud": Pseud.objects.select_related("user").get(user=person, is_default=True),
        "is_owner": is_owner,
        "series": series,
        "works": works[:PEOPLE_WORKS],
        "work_count": works.count(),
        "drafts": drafts,
        "notifications": person.notifications.all()[:10] if is_owner else [],
        "user_works_url": reverse("works:user_works", args=[person.username]),
    }
    return render(request, "archive/user_dashboard.html", context)


def user_works(request, login):
    """All of a user's works: the shared listing (issue 4 adds its filters there)."""
    person = person_or_404(login)
    return work_list_response(
        request,
        works=Work.objects.naming_creators_to(request.user).filter(work_creators__user=person),
        heading_by=person.username,
        heading_by_url=person.get_absolute_url(),
    )


def user_profile(request, login):
    """/users/<login>/profile: AO3's profile header (ao3-api reads the person's id and the
    reader's subscription to them there)."""
    person = person_or_404(login)
    subscription = None
    if request.user.is_authenticated:
        subscription = Subscription.objects.filter(user=request.user, author=person).first()
    pseuds = list(Pseud.objects.filter(user=person))
    for pseud in pseuds:
        pseud.user = person
    context = {
        "person": person,
        "subscription": subscription,
        "pseuds": pseuds,
        "is_owner": request.user.is_authenticated and request.user.pk == person.pk,
        "links": profile_links(person),
    }
    return render(request, "archive/user_profile.html", context)


@login_required
def user_stats(request, login):
    """/users/<login>/stats: AO3's statistics page, for its owner only (guests are sent to
    log in, as for the inbox; anyone else gets a 404); works.pages.stats reads its `?year=`,
    `?sort_column=`, `?sort_direction=` and `?flat_view=`."""
    person = owner_or_404(request, login)
    context = {
        "person": person,
        "is_owner": True,
        "stats": stats_of(person, request.GET),
    }
    return render(request, "archive/user_stats.html", context)


@login_required
def inbox(request, login):
    """Notifications, newest first: comments and replies (with reply and approve forms),
    new chapters, works and series parts. ?filter=unread shows only unread ones."""
    person = owner_or_404(request, login)
    if request.method == "POST":
        ids, _bad = parse_ints(request.POST.getlist("items"), minimum=1, maximum=MAX_ID)
        read = request.POST.get("action") != "unread"
        feedback.inbox_mark(user=person, item_ids=ids, read=read)
        messages.success(request, _("Inbox updated."))
        return redirect(return_path(request))
    items = InboxItem.objects.filter(recipient=person).select_related(
        "comment",
        "comment__user",
        "comment__parent",
        "work",
        "chapter",
        "series",
        "tag_nomination__tag_set",
        "prompt__challenge__collection",
    )
    unread_only = request.GET.get("filter") == "unread"
    if unread_only:
        items = items.filter(is_read=False)
    page = Paginator(items, PER_PAGE).get_page(parse_int(request.GET.get("page"), minimum=1))
    context = {
        "person": person,
        "items": page.object_list,
        "pagination": pagination_links(request, page),
        "unread_only": unread_only,
        "unread_count": InboxItem.objects.filter(recipient=person, is_read=False).count(),
        "reply_form": CommentForm(),
    }
    return render(request, "archive/inbox.html", context)
