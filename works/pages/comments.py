"""Comment threads: the work page's feedback region (div#feedback: kudos, the comments of the
shown chapters, the comment form) and a comment's own page with its replies, as nested
ol.thread rows. Only comments the reader may see (Comment.objects.visible_to)."""

from collections import defaultdict

from django.http import HttpRequest

from works.forms.feedback import CommentForm
from works.models import Comment, Work, WorkCreator
from works.services import feedback


def thread_rows(comments, root_id=None) -> list[tuple[str, object]]:
    """Comments as the rows of nested ol.thread lists: ("open"|"close"|"li"|"endli", None)
    and ("comment", comment). A comment whose parent is not shown (muted) is left out with
    its replies."""
    children = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)
    rows: list[tuple[str, object]] = [("open", None)]
    stack = [iter(children[root_id])]
    while stack:
        comment = next(stack[-1], None)
        if comment is None:
            stack.pop()
            rows.append(("close", None))
            if stack:
                rows.append(("endli", None))
            continue
        rows.append(("comment", comment))
        if children[comment.pk]:
            rows += [("li", None), ("open", None)]
            stack.append(iter(children[comment.pk]))
    return rows


def feedback_context(request: HttpRequest, work: Work, chapters: list, *, is_creator: bool):
    """div#feedback on the work page: kudos, the comments of the shown chapters, the comment
    form. Two queries: kudos names, and the comments (subscription state comes annotated
    on the work, see with_subscription())."""
    user = request.user
    stats = getattr(work, "stats", None)
    names = list(
        work.kudos.filter(user__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("user__username", flat=True)
    )
    guests = max((stats.kudos if stats else 0) - len(names), 0)
    shown = [c for c in chapters if c.pk and c.posted]
    comments = (
        list(
            Comment.objects.visible_to(user)
            .filter(chapter__in=[c.pk for c in shown])
            .select_related("user")
        )
        if shown
        else []
    )
    rows = thread_rows(comments) if comments else []
    target = shown[-1] if shown else None
    # A block is checked when the comment is posted; the page does not spend a query on it.
    refusal = feedback.comment_refusal(work, user, check_block=False) if work.posted else None
    subscription_id = getattr(work, "my_subscription_id", None)
    return {
        "kudos_names": names,
        "kudos_guests": guests,
        "comment_rows": rows,
        "comment_total": sum(1 for kind, _comment in rows if kind == "comment"),
        "comment_chapter": target,
        "comment_refusal": refusal,
        "comment_form": CommentForm(guest=not user.is_authenticated),
        "subscription_id": subscription_id,
        "bookmark_id": getattr(work, "my_bookmark_id", None),
    }


def comment_thread_context(comment, user) -> dict:
    """A comment's page: the comment with the replies `user` may see, the reply form's state."""
    subtree = [comment]
    if comment.status == Comment.Status.APPROVED:
        keep = {comment.pk}
        visible = Comment.objects.visible_to(user).filter(chapter=comment.chapter_id)
        for other in visible.select_related("user"):
            if other.parent_id in keep and other.pk not in keep:
                keep.add(other.pk)
                subtree.append(other)
    is_creator = (
        user.is_authenticated
        and WorkCreator.objects.filter(work_id=comment.work_id, user=user).exists()
    )
    return {
        "comment": comment,
        "work": comment.work,
        "comment_rows": thread_rows(subtree, comment.parent_id),
        "is_creator": is_creator,
        "comment_refusal": feedback.comment_refusal(comment.work, user),
    }


def unreviewed_comments(work):
    """The queue of a moderated work, oldest first."""
    return (
        Comment.objects.filter(work=work, status=Comment.Status.UNREVIEWED)
        .select_related("user", "chapter")
        .order_by("created_at", "id")
    )
