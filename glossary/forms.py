from django import forms

from glossary.models import Term
from glossary.search import MAX_QUERY_LENGTH


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Term.Kind.choices],
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not a kind of glossary term.",
        },
    )


class QueryField(forms.CharField):
    """
    Free text typed into a search box. Control characters, NUL included,
    become spaces before validation: they are noise in a query, not an
    error to report.
    """

    def to_python(self, value):
        text = super().to_python(value)
        return "".join(ch if ch.isprintable() else " " for ch in text)


class SearchForm(forms.Form):
    """
    The `q` of every search box. Anything a visitor can type is accepted as
    plain text: operators, quotes and SQL mean nothing to the search.
    """

    q = QueryField(required=False)

    def clean_q(self):
        # Long queries are cut rather than refused: a pasted sentence still
        # finds what its first words name.
        text = " ".join(self.cleaned_data["q"].split())
        self.was_shortened = len(text) > MAX_QUERY_LENGTH
        return text[:MAX_QUERY_LENGTH].strip()
