from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from articles.models import Article, ArticleReference, PendingRevision
from glossary.views import OldSlugRedirectMixin


class ArticleListView(ListView):
    """
    Published articles, newest first, 20 a page.

    Template: articles/article_list.html; context: `article_list`, `page_obj`.
    """

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().with_listing_data()


class ArticleDetailView(OldSlugRedirectMixin, DetailView):
    """
    One article with its tags, related articles and numbered reference
    list.

    Drafts, articles in review and scheduled ones are 404 except for staff,
    who see them with a preview banner. An archived article is 410 Gone,
    with a short page saying so (articles/article_gone.html, context
    `article`), except for staff, who see it with a banner. A slug the
    article had before is a 301 to its page.
    Template: articles/article_detail.html; context: `article`,
    `references` (ListedReference rows: cited ones in order of first
    citation, then the rest in the editor's order), `tags`,
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
                request, "articles/article_gone.html", {"article": archived}, status=410
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
        context["references"] = self.object.reference_list()
        context["tags"] = self.object.tags.all()
        context["related_articles"] = Article.objects.only(
            "title", "slug", "summary", "updated_at"
        ).related_to(self.object)
        if self.request.user.is_staff:
            context["has_changes_waiting"] = PendingRevision.objects.filter(
                article=self.object
            ).exists()
        return context
