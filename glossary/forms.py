from django import forms

from glossary.models import Term, could_link_ordinary_text, split_aliases
from glossary.search import MAX_QUERY_LENGTH


class KindField(forms.ChoiceField):
    """A kind of term as typed into an address: "Drug" and "DRUG" are drug."""

    def to_python(self, value):
        return super().to_python(value).strip().lower()


class IndexForm(forms.Form):
    """The query of an A–Z index page: `?kind=drug&page=2`, both optional."""

    kind = KindField(
        choices=[("", "All kinds"), *Term.Kind.choices],
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not a kind of glossary term.",
        },
    )
    page = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={
            "invalid": "A page of the glossary is a whole number, such as 2.",
            "min_value": "The glossary's pages start at 1.",
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


class OwnAddressMixin:
    """
    For the admin form of a model with a unique slug: a slug another row
    has is refused with that row's address and name, rather than Django's
    "with this Slug already exists", which leaves an editor who typed only
    a title (the page fills the slug from it) guessing.
    """

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        model = self._meta.model
        other = (
            model._default_manager.exclude(pk=self.instance.pk)
            .filter(slug=slug)
            .first()
            if slug
            else None
        )
        if other is not None:
            raise forms.ValidationError(
                f"Another {model._meta.verbose_name} already uses this address, "
                f"{other.get_absolute_url()} (“{other}”); change the slug to give "
                f"this one its own."
            )
        return slug


class TermAdminForm(OwnAddressMixin, forms.ModelForm):
    """
    The admin's term form. On a rename the old name is kept as an alias
    unless the editor unticks the box, so that bodies written with the old
    name, as text or as [[Old name]], still link to the term.
    """

    keep_old_name = forms.BooleanField(
        label="Keep the old name as an alias",
        required=False,
        initial=True,
        help_text=(
            "When the name changes, links written with the old name keep pointing here."
        ),
    )

    class Meta:
        model = Term
        fields = [
            "name",
            "slug",
            "kind",
            "aliases",
            "definition",
            "body",
            "tags",
            "references",
        ]

    # The old name when it was not kept although the box was ticked, for
    # the message after saving; None otherwise.
    old_name_let_go = None

    def clean(self):
        cleaned_data = super().clean()
        old_name = self.initial.get("name")
        new_name = cleaned_data.get("name")
        if (
            self.instance.pk
            and cleaned_data.get("keep_old_name")
            and old_name
            and new_name
            and "aliases" in cleaned_data
            and old_name.casefold() != new_name.casefold()
        ):
            # An everyday word ("The") could not be an alias, so keeping it
            # would block the very rename that moves the term away from it.
            if could_link_ordinary_text(old_name):
                self.old_name_let_go = old_name
            else:
                aliases = split_aliases(cleaned_data.get("aliases"))
                cleaned_data["aliases"] = "\n".join([*aliases, old_name])
        return cleaned_data
