from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView, ListView

from glossary.diagram import relation_diagram
from glossary.forms import KindFilterForm, SearchForm
from glossary.models import Term, TermRelation
from glossary.search import RESULTS_PER_PAGE, SUGGEST_LIMIT
from glossary.structured_data import term_data, term_set_data


def bad_request(request, message):
    """A 400 page that tells the visitor what was wrong with the request."""
    return render(request, "400.html", {"message": message}, status=400)


def search_page(request, template_name, find_results, breadcrumbs):
    """
    Render a search page for `?q=`: `template_name` gets `query`,
    `was_shortened`, `breadcrumbs` and, when the query is not blank, the
    context that `find_results(query)` returns. A query the form refuses is
    a 400 with the reason.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form.errors.as_text())
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


class TermListView(ListView):
    """
    The A–Z index of terms, optionally narrowed to one kind (`?kind=drug`).

    An unknown kind is a 400 with the reason. Template:
    glossary/term_list.html; context: `term_list`, `sections` (each letter
    that has terms, with its terms), `kind_form`, `kinds`, `breadcrumbs`,
    `structured_data` (a schema.org DefinedTermSet of the terms listed).
    """

    def get(self, request, *args, **kwargs):
        self.kind_form = KindFilterForm(request.GET)
        if not self.kind_form.is_valid():
            return bad_request(request, self.kind_form.errors["kind"][0])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        kind = self.kind_form.cleaned_data["kind"]
        return (
            Term.objects.of_kind(kind)
            .alphabetical()
            .only("name", "slug", "kind", "definition")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = context["term_list"].by_index_letter()
        context["kind_form"] = self.kind_form
        context["kinds"] = Term.Kind.choices
        context["current_kind"] = self.kind_form.cleaned_data["kind"]
        context["breadcrumbs"] = [("Glossary", None)]
        listed = [term for __, terms in context["sections"] for term in terms]
        context["structured_data"] = [term_set_data(listed, self.request)]
        return context


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


def suggest(request):
    """
    Autocomplete for the search boxes: JSON
    `{"results": [{"name", "url", "kind", "definition", "matched",
    "matched_in"}], "searched_for", "ignored_words"}`, at most ten results,
    best first. `matched_in` is "name", "alias" or "definition";
    `searched_for` is how the query was read when not as typed ("" when as
    typed), and `ignored_words` the typed words it left out. A blank query
    gives no results.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.as_text()}, status=400)
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
    return JsonResponse(
        {
            "results": results,
            "searched_for": terms.searched_for,
            "ignored_words": list(terms.ignored_words),
        }
    )
