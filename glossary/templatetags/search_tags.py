from django import template

from glossary.search import highlight

register = template.Library()


@register.simple_tag
def highlight_match(text, query, tier):
    """`text` with the part matching `query` in <mark>, escaped."""
    return highlight(text, query, tier)
