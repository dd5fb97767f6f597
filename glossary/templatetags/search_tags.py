from django import template

from glossary.search import highlight

register = template.Library()


@register.simple_tag
def highlight_match(text, query, tier):
    """`text` with the part matching `query` in <mark>, escaped."""
    return highlight(text, query, tier)


# Quotation marks a visitor may type around a query: curly and straight,
# single and double, and the guillemets of other languages.
OPENING_QUOTES = "“‘\"'«„‚"
CLOSING_QUOTES = "”’\"'»“‘"


@register.filter
def quoted(text):
    """
    `text` in curly quotes, as a page repeats what was searched for; as
    typed when the visitor put it in quotes already, so that “TNF” is
    never shown as ““TNF””.
    """
    text = str(text)
    if len(text) >= 2 and text[0] in OPENING_QUOTES and text[-1] in CLOSING_QUOTES:
        return text
    return f"“{text}”"
