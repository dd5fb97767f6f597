from django import forms

from glossary.models import Term


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Term.Kind.choices],
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not a kind of glossary term.",
        },
    )


class SearchForm(forms.Form):
    # Long queries are cut rather than refused: a pasted sentence still finds
    # what its first words name.
    MAX_LENGTH = 200

    q = forms.CharField(required=False, strip=True)

    def clean_q(self):
        text = self.cleaned_data["q"]
        # Control characters (NUL included) are never part of a term name.
        text = "".join(ch if ch.isprintable() else " " for ch in text)
        return " ".join(text.split())[: self.MAX_LENGTH]
