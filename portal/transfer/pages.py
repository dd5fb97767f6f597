"""
The site's own pages in an export: pages/<slug>.md, title and footer place
as front matter, the Markdown below. "Updated" is the time of the save, so
it is not exported.
"""

from portal.models import Page
from portal.transfer.fields import Boolean, Text, WholeNumber
from portal.transfer.kinds import ContentKind


class PageKind(ContentKind):
    folder = "pages"
    model = Page
    fields = [
        Text("title", required=True),
        Text("slug", required=True),
        Boolean("show_in_footer"),
        WholeNumber("footer_order"),
    ]
    body = "body"

    def clean_row(self, instance):
        # An address the site's other pages use is refused, as in the admin.
        instance.clean()
