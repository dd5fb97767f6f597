"""
JSON that is safe inside an HTML page: JSON-LD in a <script> element and
every JSON response or file, which a browser might be led to read as HTML.

As Django's json_script does, "<", ">" and "&" are written as \\u escapes,
which every JSON reader reads back as the same characters: a stored
"</script>" or "<!--" then cannot end or change the element holding it.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

HTML_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
}


class HtmlSafeJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder writing "<", ">" and "&" as \\u escapes."""

    def iterencode(self, o, _one_shot=False):
        # The characters occur only inside strings, where an escape means
        # the same character to every JSON reader.
        for chunk in super().iterencode(o, _one_shot):
            yield chunk.translate(HTML_ESCAPES)


def html_safe_json(data, **options):
    """`data` as JSON text with "<", ">" and "&" escaped."""
    return json.dumps(data, cls=HtmlSafeJSONEncoder, **options)


class HtmlSafeJsonResponse(JsonResponse):
    """A JsonResponse whose text has "<", ">" and "&" escaped."""

    def __init__(self, data, **kwargs):
        kwargs.setdefault("encoder", HtmlSafeJSONEncoder)
        super().__init__(data, **kwargs)
