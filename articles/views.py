from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from articles.models import Article, ArticleReference
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
    One article with its tags and numbered reference list.

    Drafts and scheduled articles are 404 except for staff, who see them with
    a preview banner. A slug the article had before is a 301 to its page.
    Template: articles/article_detail.html; context: `article`,
    `references` (ListedReference rows: cited ones in order of first
    citation, then the rest in the editor's order), `tags`.
    """

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).prefetch_related(
            "tags",
            Prefetch(
                "reference_links",
                queryset=ArticleReference.objects.select_related("reference"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["references"] = self.object.reference_list()
        context["tags"] = self.object.tags.all()
        return context
