from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views.generic import ListView

from caching.pages import cached_page
from references.exports import EXPORT_FORMATS, FORMATS_BY_EXTENSION
from references.models import Reference


@method_decorator(cached_page("references.reference"), name="dispatch")
class ReferenceListView(ListView):
    """
    The bibliography: every reference, each with a stable `#ref-<key>` anchor
    and links to download it for a reference manager.

    Not paginated, so that an anchor always lands on the one page.
    Template: references/reference_list.html; context: `reference_list`,
    `export_formats`, `breadcrumbs`.
    """

    model = Reference  # ordered by authors, year and title (Reference.Meta)
    extra_context = {
        "export_formats": EXPORT_FORMATS,
        "breadcrumbs": [("References", None)],
    }


def export_format(extension):
    """The ExportFormat written to files ending in `extension`, else 404."""
    try:
        return FORMATS_BY_EXTENSION[extension]
    except KeyError:
        raise Http404(f"No citation format ends in .{extension}.") from None


def export_response(references, export, file_stem):
    """
    `references` written in the `export` format, as a file to download
    named `<file_stem>.<extension>`.
    """
    response = HttpResponse(export.write(references), content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{file_stem}.{export.extension}"
    )
    return response


def reference_export(request, key, extension):
    """
    One reference as a BibTeX, RIS or CSL-JSON file (by `extension`: bib,
    ris, json) named for its key; an unknown key or extension is a 404.
    """
    export = export_format(extension)
    reference = get_object_or_404(Reference, key__iexact=key)
    return export_response([reference], export, reference.key)
