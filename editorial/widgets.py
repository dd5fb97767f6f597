"""The editing box of a Markdown body, with a cheat sheet of its syntax."""

from django import forms


class MarkdownTextarea(forms.Textarea):
    """
    A large, full-width, monospace box for a Markdown body, with a short
    cheat sheet under it. `linked` says whether the body links glossary
    terms and cites references (articles and terms do; site pages do not),
    and so whether the sheet shows that syntax.
    """

    template_name = "editorial/widgets/markdown_textarea.html"

    class Media:
        css = {"all": ["editorial/markdown.css"]}

    def __init__(self, attrs=None, linked=True):
        super().__init__(
            {"rows": 30, "class": "vLargeTextField markdown-source", **(attrs or {})}
        )
        self.linked = linked

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["linked"] = self.linked
        return context


class MarkdownBodyAdminMixin:
    """For a ModelAdmin: its `body` field is edited in a MarkdownTextarea."""

    # Whether the body links glossary terms and cites references.
    markdown_linked = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownTextarea(linked=self.markdown_linked)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
