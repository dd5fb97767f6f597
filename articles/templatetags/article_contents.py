from django import template

from articles.contents import table_of_contents

register = template.Library()


@register.simple_tag
def contents_of(article):
    """The table of contents of `article`'s body (articles/contents.py)."""
    return table_of_contents(article.body_html)
