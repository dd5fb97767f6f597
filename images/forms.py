from django import forms

from images.uploads import inspect_upload

ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/gif"


class OriginalFileInput(forms.ClearableFileInput):
    """
    The upload input, naming the stored original without linking to it:
    the original keeps its metadata (GPS, camera), and only the sizes made
    from it are ever served. An image cannot be cleared, only replaced.
    """

    template_name = "images/widgets/original_file_input.html"


class UploadedImageField(forms.FileField):
    """
    A file input for an image, refused with a message that says what to do
    (images/uploads.py) unless Pillow reads it as an accepted image within
    the limits. Django's own ImageField takes any format Pillow reads, SVG
    aside, and names no reason when it refuses.
    """

    widget = OriginalFileInput(attrs={"accept": ACCEPTED_TYPES})

    def to_python(self, data):
        uploaded = super().to_python(data)
        if uploaded is not None:
            # Image.save() uses what was read rather than reading it again.
            uploaded.image_facts = inspect_upload(uploaded)
        return uploaded
