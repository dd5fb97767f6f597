"""Behaviour every admin form of the site shares, from the lowest app up."""


class LengthCheckedOnSave:
    """
    Admin fields without the browser's `maxlength`. A browser silently cuts
    a pasted text at that length; without it the form's own check refuses
    an over-long text with a message naming the limit and gives it back
    whole, so the editor can shorten it.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("maxlength", None)
        return field
