from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from articles import cite
from articles.models import Article, ArticleReference, PendingRevision
from articles.structured_data import article_data
from caching.pages import cached_page
from editorial.addresses import absolute_url
from glossary.views import OldSlugRedirectMixin
from references.exports import EXPORT_FORMATS
from references.views import export_format, export_response

REFERENCE_LINKS = Prefetch(
    "reference_links", queryset=ArticleReference.objects.select_related("reference")
)


def breadcrumbs(article):
    """An article page's trail after Home: Articles, then its title."""
    return [("Articles", reverse("articles:list")), (article.title, None)]


@method_decorator(cached_page("articles.article"), name="dispatch")
class ArticleListView(ListView):
    """
    Published articles, newest first, 20 a page.

    Template: articles/article_list.html; context: `article_list`, `page_obj`,
    `breadcrumbs`.
    """

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().with_listing_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [("Articles", None)]
        return context


# Related articles are a list of articles.
@method_decorator(cached_page("articles.article"), name="dispatch")
class ArticleDetailView(OldSlugRedirectMixin, DetailView):
    """
    One article with its tags, related articles and numbered reference
    list.

    Drafts, articles in review and scheduled ones are 404 except for staff,
    who see them with a preview banner. An archived article is 410 Gone,
    with a short page saying so (articles/article_gone.html, context
    `article`, `breadcrumbs`), except for staff, who see it with a banner.
    A slug the article had before is a 301 to its page.
    Template: articles/article_detail.html; context: `article`,
    `references` (ListedReference rows: cited ones in order of first
    citation, then the rest in the editor's order), `tags`, `breadcrumbs`,
    `structured_data` (the page as a schema.org MedicalWebPage), `citations`
    (the article in AMA and APA style, read today at its absolute
    address), `export_formats` (the reference files offered),
    `related_articles` (up to five published ones sharing glossary terms
    or tags, see ArticleQuerySet.related_to), and for staff
    `has_changes_waiting` (edits waiting for approval, linked to their
    review page).
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slug = kwargs.get(self.slug_url_kwarg)
            archived = (
                Article.objects.archived()
                .filter(Q(slug=slug) | Q(slug_redirects__old_slug=slug))
                .first()
            )
            if archived is None:
                raise
            return render(
                request,
                "articles/article_gone.html",
                {"article": archived, "breadcrumbs": breadcrumbs(archived)},
                status=410,
            )

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
            .select_related("medical_reviewer")
            .prefetch_related("tags", REFERENCE_LINKS)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context["references"] = article.reference_list()
        context["tags"] = article.tags.all()
        context["breadcrumbs"] = breadcrumbs(article)
        mentioned_terms = article.mentioned_terms.only("name", "slug")
        context["structured_data"] = [
            article_data(
                article,
                context["references"],
                mentioned_terms,
                self.request,
            )
        ]
        url = absolute_url(self.request, article.get_absolute_url())
        context["citations"] = {
            "ama": cite.ama(article, url, timezone.localdate()),
            "apa": cite.apa(article, url),
        }
        context["export_formats"] = EXPORT_FORMATS
        context["related_articles"] = Article.objects.only(
            "title", "slug", "summary", "published_at", "updated_at"
        ).related_to(article)
        if self.request.user.is_staff:
            context["has_changes_waiting"] = PendingRevision.objects.filter(
                article=self.object
            ).exists()
        return context


def reference_list_export(request, slug, extension):
    """
    An article's numbered reference list, in its order, as a BibTeX, RIS
    or CSL-JSON file (`extension`: bib, ris, json) named for the article.
    An article a visitor may not read, like an unknown slug or extension,
    is a 404; staff get any article's, as they see its page.
    """
    export = export_format(extension)
    article = get_object_or_404(
        Article.objects.visible_to(request.user).prefetch_related(REFERENCE_LINKS),
        slug=slug,
    )
    references = [listed.reference for listed in article.reference_list()]
    return export_response(references, export, article.slug)


def citation_export(request, slug, extension):
    """
    The article itself as a web page reference (`@online`, `ELEC`,
    `webpage`), read today, as a file named `<slug>-citation.<extension>`;
    404s as for `reference_list_export`.
    """
    export = export_format(extension)
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    url = absolute_url(request, article.get_absolute_url())
    reference = cite.as_reference(article, url, timezone.localdate())
    return export_response([reference], export, f"{article.slug}-citation")
