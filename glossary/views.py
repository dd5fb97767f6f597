from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView

from caching.pages import cached_page
from editorial.json_text import HtmlSafeJsonResponse
from glossary.diagram import relation_diagram
from glossary.forms import IndexForm, SearchForm
from glossary.index import (
    LETTER_BY_SEGMENT,
    TERMS_PER_INDEX_PAGE,
    IndexPage,
    index_url,
)
from glossary.models import Term, TermRelation
from glossary.rate_limits import limited_per_client
from glossary.search import RESULTS_PER_PAGE, SUGGEST_LIMIT
from glossary.structured_data import term_data, term_set_data


def bad_request(request, message, breadcrumbs=()):
    """
    A 400 page that tells the visitor what was wrong with the request,
    under `breadcrumbs` (the page's trail up to the one asked for).
    """
    context = {
        "message": message,
        "breadcrumbs": [*breadcrumbs, ("Request not understood", None)],
    }
    return render(request, "400.html", context, status=400)


def search_page(request, template_name, find_results, breadcrumbs):
    """
    Render a search page for `?q=`: `template_name` gets `query`,
    `was_shortened`, `breadcrumbs` and, when the query is not blank, the
    context that `find_results(query)` returns. A query the form refuses is
    a 400 with the reason.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form.errors.as_text(), breadcrumbs[:-1])
    query = form.cleaned_data["q"]
    context = {
        "query": query,
        "was_shortened": form.was_shortened,
        "breadcrumbs": breadcrumbs,
    }
    if query:
        context.update(find_results(query))
    return render(request, template_name, context)


class OldSlugRedirectMixin:
    """
    For the DetailView of a RedirectsOldSlugs model: an address the object
    had before its slug changed answers with a permanent (301) redirect to
    its current page. A row that has the slug now always wins, and only
    objects the view's queryset shows are redirected to.
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = (
                self.get_queryset()
                .prefetch_related(None)
                .filter(slug_redirects__old_slug=kwargs.get(self.slug_url_kwarg))
                .first()
            )
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())


class KnownCountPaginator(Paginator):
    """A Paginator told how many rows there are, which the index counted."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count


@method_decorator(cached_page("glossary.term"), name="dispatch")
class TermListView(ListView):
    """
    The A–Z index of terms: one heading a page (a letter, or "0–9" for
    names that start with a digit or a sign), 100 terms at a time, all
    kinds or one. `/glossary/` shows the first heading that has terms,
    `/glossary/letter/<a>/` the one named; `?kind=drug` and `?page=2`
    apply to both. A letter typed in capitals is redirected (301) to its
    lower-case address.

    The letter bar lists every letter with its count of terms (of the kind
    chosen), linking those that have some; the kind filter lists every kind
    with its count (under the letter chosen, or in all on `/glossary/`).
    All counts, that of the page too, come from one grouped query, so a
    page takes the same few queries however large the glossary. An unknown
    letter or a page past the last is a 404 that still shows the letter
    bar; an unknown kind or a page that is not a whole number is a 400
    with the reason.

    Template: glossary/term_list.html; context: `term_list`, `page_obj`,
    `letter_bar` and `kind_filter` (rows of `label`, `count`, `url`,
    `is_current`), `heading`, `current_kind_label`, `page_links`
    ((number, url), None for a gap), `previous_url`, `next_url`, and
    `breadcrumbs`, `structured_data` (a schema.org DefinedTermSet of the
    terms listed), and `not_found` (the reason) on a 404.
    """

    template_name = "glossary/term_list.html"
    paginate_by = TERMS_PER_INDEX_PAGE

    def get(self, request, *args, **kwargs):
        form = IndexForm(request.GET)
        if not form.is_valid():
            return bad_request(
                request,
                next(iter(form.errors.values()))[0],
                [("Glossary", reverse("glossary:list"))],
            )
        kind, number = form.cleaned_data["kind"], form.cleaned_data["page"] or 1
        counts = Term.objects.index_counts()
        segment = kwargs.get("letter")
        if segment is None:
            self.index = IndexPage.home(counts, kind, number)
        elif segment in LETTER_BY_SEGMENT:
            self.index = IndexPage(counts, LETTER_BY_SEGMENT[segment], kind, number)
        elif segment.lower() in LETTER_BY_SEGMENT:
            letter = LETTER_BY_SEGMENT[segment.lower()]
            return HttpResponsePermanentRedirect(index_url(letter, kind, number))
        else:
            self.index = IndexPage(counts, None, kind, number)
            return self.not_found(
                f"The glossary has no letter “{segment}”; "
                "choose one from the letter bar."
            )
        pages = self.index.page_count
        if number > pages:
            return self.not_found(
                f"There is no page {number} of {self.index.heading}: "
                + ("there is one page." if pages == 1 else f"there are {pages}.")
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Term.objects.of_kind(self.index.kind)
            .filter(index_letter=self.index.letter)
            .in_index_order()
            .only("name", "slug", "kind", "definition")
        )

    def paginate_queryset(self, queryset, page_size):
        # The grouped counts hold this page's count already, and the page
        # number has passed the form.
        paginator = KnownCountPaginator(queryset, page_size, self.index.term_count)
        page = paginator.page(self.index.number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.index.context())
        page = context["page_obj"]
        context["page_links"] = [
            None
            if number == page.paginator.ELLIPSIS
            else (number, self.index.url(number))
            for number in page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        ]
        context["previous_url"] = page.has_previous() and self.index.url(
            page.previous_page_number()
        )
        context["next_url"] = page.has_next() and self.index.url(
            page.next_page_number()
        )
        context["structured_data"] = [term_set_data(context["term_list"], self.request)]
        return context

    def not_found(self, message):
        """The index without terms, saying why: status 404."""
        context = {
            **self.index.context(),
            "not_found": message,
            "page_title": "Glossary: page not found",
        }
        return render(self.request, self.template_name, context, status=404)


# "Mentioned in" lists the published articles that mention the term.
@method_decorator(cached_page("articles.article"), name="dispatch")
class TermDetailView(OldSlugRedirectMixin, DetailView):
    """
    One term: definition, aliases, kind, body, relations both ways with a
    diagram, where it is mentioned, tags and references. A slug the term
    had before is a 301 to its page.

    "Mentioned in" reads the mentions kept at save, articles (published
    only) first, then terms. Template: glossary/term_detail.html; context:
    `term`, `relation_svg`, `relation_groups`, `mentioned_in`, `references`,
    `tags`, `breadcrumbs`, `structured_data` (a schema.org DefinedTerm, and
    Drug for a drug).
    """

    queryset = Term.objects.prefetch_related(
        "tags",
        "references",
        Prefetch("relations", queryset=TermRelation.objects.select_related("target")),
        Prefetch(
            "incoming_relations",
            queryset=TermRelation.objects.select_related("source"),
        ),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = self.object
        context["relation_svg"] = relation_diagram(term)
        context["relation_groups"] = term.relation_groups()
        context["mentioned_in"] = term.mentioned_in()
        context["references"] = term.reference_list()
        context["tags"] = term.tags.all()
        context["breadcrumbs"] = [
            ("Glossary", reverse("glossary:list")),
            (term.name, None),
        ]
        context["structured_data"] = [term_data(term, self.request)]
        return context


@limited_per_client("search", "SEARCH_RATE_LIMIT")
def search(request):
    """
    Glossary search results for `?q=`, best match first, 20 a page; each
    result shows which name or alias matched, highlighted, and results
    found only in a definition say so. When the query was read otherwise
    than typed, the page says how ("Showing results for humira", ignored:
    "injection"). When nothing matches, the closest names are offered
    ("Did you mean"). A blank query shows a prompt and the A–Z link.

    Template: glossary/search.html; context: `query`, `was_shortened`,
    `breadcrumbs`, `page_obj`, `searched_for`, `ignored_words`,
    `did_you_mean`.
    """

    def find_results(query):
        terms = Term.objects.search(query)
        results = Paginator(terms, RESULTS_PER_PAGE)
        page_obj = results.get_page(request.GET.get("page"))
        did_you_mean = [] if results.count else Term.objects.closest_to(query)
        return {
            "page_obj": page_obj,
            "searched_for": terms.searched_for,
            "ignored_words": terms.ignored_words,
            "did_you_mean": did_you_mean,
        }

    breadcrumbs = [("Glossary", reverse("glossary:list")), ("Search", None)]
    return search_page(request, "glossary/search.html", find_results, breadcrumbs)


@cached_page("glossary.term")
# Outside cache_control: a refusal must not be reused by the browser.
@limited_per_client("suggest", "SUGGEST_RATE_LIMIT", as_json=True)
# Typing sends a request a keystroke; a browser may answer the same prefix
# again itself for a minute.
@cache_control(public=True, max_age=60)
def suggest(request):
    """
    Autocomplete for the search boxes: JSON
    `{"results": [{"name", "url", "kind", "definition", "matched",
    "matched_in"}], "searched_for", "ignored_words"}`, at most ten results,
    best first. `matched_in` is "name", "alias" or "definition";
    `searched_for` is how the query was read when not as typed ("" when as
    typed), and `ignored_words` the typed words it left out. A blank query
    gives no results. A client over SUGGEST_RATE_LIMIT gets 429 and
    `{"error"}`; a suggestion already kept is served without counting.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        return HtmlSafeJsonResponse({"error": form.errors.as_text()}, status=400)
    terms = Term.objects.only("name", "slug", "kind", "definition").search(
        form.cleaned_data["q"], limit=SUGGEST_LIMIT
    )
    results = [
        {
            "name": term.name,
            "url": term.get_absolute_url(),
            "kind": term.get_kind_display(),
            "definition": term.definition,
            "matched": term.matched_text,
            "matched_in": term.matched_source,
        }
        for term in terms[:]
    ]
    return HtmlSafeJsonResponse(
        {
            "results": results,
            "searched_for": terms.searched_for,
            "ignored_words": list(terms.ignored_words),
        }
    )
