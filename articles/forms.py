from django import forms

from articles.models import Article
from glossary.forms import OwnAddressMixin


class ArticleAdminForm(OwnAddressMixin, forms.ModelForm):
    """The admin's article form; a slug in use names the article using it."""

    class Meta:
        model = Article
        # The admin builds the form from its fieldsets, which choose the
        # fields shown; this names them all for the form on its own.
        fields = "__all__"
