"""`{% reader_part "template" %}`: a part of a page that is the reader's own (their name in
the header, their subscribe and bookmark buttons).

Rendered like `{% include %}` with the whole context, except while a page is rendered as a
shell that every reader shares (`reader_slots` in the context; works/cache/member_pages.py):
then it leaves a marker that the shell's reader fills with the same template, rendered for
them.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_part(context, template_name: str):
    if context.get("reader_slots"):
        return mark_safe(f"<!--reader-part:{template_name}-->")
    return context.template.engine.get_template(template_name).render(context)
