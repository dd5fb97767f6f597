from django.views.generic import ListView

from references.models import Reference


class ReferenceListView(ListView):
    """
    The bibliography: every reference, each with a stable `#ref-<key>` anchor.

    Not paginated, so that an anchor always lands on the one page.
    Template: references/reference_list.html; context: `reference_list`,
    `breadcrumbs`.
    """

    model = Reference  # ordered by authors, year and title (Reference.Meta)
    extra_context = {"breadcrumbs": [("References", None)]}
