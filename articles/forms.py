from django import forms

from articles.models import Article
from glossary.forms import OwnAddressMixin


class ArticleAdminForm(OwnAddressMixin, forms.ModelForm):
    """The admin's article form; a slug in use names the article using it."""

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "tags",
            "status",
            "published_at",
            "updated_at",
            "last_reviewed_on",
            "author",
            "medical_reviewer",
        ]
