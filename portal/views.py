from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.models import Article
from glossary.models import Term


def bad_request(request, message):
    """A 400 page that tells the visitor what was wrong with the request."""
    return render(request, "400.html", {"message": message}, status=400)


def home(request):
    """
    The front page: the latest published articles and the glossary search.

    Template: home.html; context: `latest_articles` (up to 6).
    """
    latest = Article.objects.published().with_listing_data()[:6]
    return render(request, "home.html", {"latest_articles": latest})


def tag_detail(request, slug):
    """
    Published articles and glossary terms carrying one tag.

    Template: tag_detail.html; context: `tag`, `articles`, `terms`.
    """
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).with_listing_data()
    terms = Term.objects.filter(tags=tag).alphabetical()
    return render(
        request,
        "tag_detail.html",
        {"tag": tag, "articles": articles, "terms": terms},
    )
