from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView, ListView

from articles.models import Article, ArticleReference, PendingRevision
from articles.structured_data import article_data
from glossary.views import OldSlugRedirectMixin


def breadcrumbs(article):
    """An article page's trail after Home: Articles, then its title."""
    return [("Articles", reverse("articles:list")), (article.title, None)]


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


class ArticleDetailView(OldSlugRedirectMixin, DetailView):
    """
    One article with its tags and numbered reference list.

    Drafts, articles in review and scheduled ones are 404 except for staff,
    who see them with a preview banner. An archived article is 410 Gone,
    with a short page saying so (articles/article_gone.html, context
    `article`, `breadcrumbs`), except for staff, who see it with a banner.
    A slug the article had before is a 301 to its page.
    Template: articles/article_detail.html; context: `article`,
    `references` (ListedReference rows: cited ones in order of first
    citation, then the rest in the editor's order), `tags`, `breadcrumbs`,
    `structured_data` (the page as a schema.org MedicalWebPage), and for
    staff `has_changes_waiting` (edits waiting for approval, linked to
    their review page).
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
            .prefetch_related(
                "tags",
                Prefetch(
                    "reference_links",
                    queryset=ArticleReference.objects.select_related("reference"),
                ),
            )
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
        if self.request.user.is_staff:
            context["has_changes_waiting"] = PendingRevision.objects.filter(
                article=self.object
            ).exists()
        return context
