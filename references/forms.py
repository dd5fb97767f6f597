"""
The admin's reference form, which can fill itself from a BibTeX or RIS
entry pasted into it (references/entries.py) for the editor to check and
save.
"""

from django import forms
from django.forms.utils import ErrorDict

from references.entries import EntryError, read_entry
from references.models import Reference

# The name of the button that fills the form from the pasted entry.
FILL_BUTTON = "_fill_from_entry"


class PastedEntryWidget(forms.Textarea):
    """The box to paste an entry into, with the button that reads it."""

    template_name = "references/widgets/pasted_entry.html"

    def __init__(self, attrs=None):
        attrs = {
            "rows": 6,
            "class": "vLargeTextField",
            "spellcheck": "false",
            **(attrs or {}),
        }
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["fill_button"] = FILL_BUTTON
        return context


class ReferenceAdminForm(forms.ModelForm):
    """
    The reference form. Sent with the Fill from entry button, it comes back
    unsaved, with the fields the pasted entry gives filled in (and a key in
    the site's style if none was typed), or with the reason the entry could
    not be read; the form's own checks wait for Save.
    """

    pasted_entry = forms.CharField(
        label="Paste a BibTeX or RIS entry",
        required=False,
        widget=PastedEntryWidget,
        help_text=(
            "From a reference manager, PubMed (“Cite”) or a journal's page. "
            "Fill from entry replaces the fields below with what the entry "
            "says, without saving: check them, then save."
        ),
    )

    class Meta:
        model = Reference
        # The admin adds the others its fieldsets name, built by its own
        # field callback (which assumes https for a pasted address).
        fields = ["key"]

    def __init__(self, data=None, *args, **kwargs):
        self.filling = data is not None and FILL_BUTTON in data
        # What the fill did, for the editor: shown as messages by the admin.
        self.fill_notes = []
        self.entry_problem = ""
        if self.filling:
            data = self.filled_from_entry(data, kwargs.get("instance"))
        super().__init__(data, *args, **kwargs)

    def filled_from_entry(self, data, instance):
        """`data` with the pasted entry's fields in place of the typed ones."""
        try:
            entry = read_entry(data.get("pasted_entry", ""))
        except EntryError as error:
            self.entry_problem = str(error)
            return data
        data = data.copy()
        for name, value in entry.fields.items():
            data[name] = value
        if not data.get("key", "").strip() and entry.suggested_key:
            data["key"] = free_key(entry.suggested_key, instance)
        if entry.entry_count > 1:
            self.fill_notes.append(
                f"The text held {entry.entry_count} {entry.format} entries; the "
                "form was filled from the first."
            )
        self.fill_notes.append(
            f"Filled from the {entry.format} entry. Check each field, then save: "
            "nothing is saved until you do."
        )
        return data

    def full_clean(self):
        if not self.filling:
            super().full_clean()
            return
        # A filled form shows what the entry gave, unchecked (a key may be
        # missing still); only an entry that could not be read is an error.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if self.entry_problem:
            self.add_error("pasted_entry", self.entry_problem)

    def is_valid(self):
        # A fill never saves, whatever the entry held.
        return not self.filling and super().is_valid()


def free_key(stem, instance):
    """
    `stem` (mcinnes-2007), or with a letter after the year as authors'
    second works of a year are told apart (mcinnes-2007b), so that no
    other reference has it in any case.
    """
    others = Reference.objects.exclude(pk=getattr(instance, "pk", None))
    for suffix in ["", *"bcdefghijklmnopqrstuvwxyz"]:
        key = f"{stem}{suffix}"
        if not others.filter(key__iexact=key).exists():
            return key
    return stem
