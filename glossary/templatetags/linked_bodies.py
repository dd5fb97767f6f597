from django import template
from django.utils.safestring import mark_safe

from glossary.markers import for_visitors

register = template.Library()


@register.simple_tag(takes_context=True)
def body_html(context, body):
    """
    The rendered HTML of a linked `body` (an article or a term). Staff see
    unresolved links, citations and missing images marked, so that they
    can fix them; visitors see them as plain text. Bodies without problems
    are served as stored.
    """
    # The HTML was sanitised when the body was saved (glossary/markup.py).
    html = body.body_html
    if not (body.unresolved_links or body.unknown_citations or body.image_problems):
        return mark_safe(html)
    request = context.get("request")
    if request is not None and request.user.is_staff:
        return mark_safe(html)
    return mark_safe(for_visitors(html))
