"""
The admin's add and change forms as a browser submits them: every field,
the inline management forms and rows, so tests post what editors post.
"""

from django.urls import reverse

from tests.html import elements, form_data


def change_url(obj):
    """The admin change page of `obj`."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def edited_form_id(html):
    """The id of the page's add or change form (not the log-out form)."""
    (form,) = [
        form
        for form in elements(html, "form", method="post")
        if form.attrs.get("id") != "logout-form"
    ]
    return form.attrs["id"]


def admin_form(client, url):
    """The form of an admin add or change page as the browser would send it."""
    html = client.get(url).content.decode()
    return form_data(html, edited_form_id(html))


# The button a publisher presses to make an edit of a published article
# live at once; a plain save of one holds the edit for approval.
SAVE_AND_PUBLISH = {"_publish": "Save and publish"}


def set_row(data, prefix, index, **fields):
    """Fill inline row `index`, adding it to the formset if it is new."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    if index >= total:
        for new in range(total, index + 1):
            data.setdefault(f"{prefix}-{new}-id", "")
        data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value


# What an editor types into each add form; tests change what they test.
TYPED_ON_ADD = {
    "articles.article": {
        "title": "Cytokines in the joints",
        "summary": "How joint inflammation is kept going.",
        "body": "Swelling is driven by messengers [@mcinnes-2007].",
        "status": "published",
    },
    "glossary.term": {
        "name": "Interleukin-6",
        "kind": "cytokine",
        "aliases": "IL-6\nIL6",
        "definition": "A messenger protein that drives fever and inflammation.",
        "body": "Raised in active arthritis [@mcinnes-2007].",
    },
    "references.reference": {
        "key": "mcinnes-2007",
        "kind": "journal",
        "authors": "McInnes IB, Schett G",
        "title": "Cytokines in the pathogenesis of rheumatoid arthritis",
        "container": "Nat Rev Immunol",
        "year": "2007",
        "month": "6",
        "volume": "7",
        "issue": "6",
        "pages": "429-442",
        "doi": "10.1038/nri2094",
    },
    "images.image": {
        "title": "IL-6 levels after treatment",
        "alt_text": "Bar chart: IL-6 levels fall by half within 4 weeks of treatment.",
        "caption": "IL-6 in patients’ blood before and after treatment.",
        "credit": "Chart: J. Doe, CC BY 4.0",
    },
}


def add_form(client, model_label, **fields):
    """
    The add form of `model_label` ("app.model") as the browser sends it,
    filled in as an editor would, with `fields` over what was typed.
    """
    app_label, model_name = model_label.split(".")
    data = admin_form(client, reverse(f"admin:{app_label}_{model_name}_add"))
    data.update(TYPED_ON_ADD[model_label])
    data.update(fields)
    return data


def article_add_form(client, **fields):
    return add_form(client, "articles.article", **fields)


def term_add_form(client, **fields):
    return add_form(client, "glossary.term", **fields)


def reference_add_form(client, **fields):
    return add_form(client, "references.reference", **fields)


def image_add_form(client, **fields):
    """The image add form, filled in; give the upload as `file`."""
    return add_form(client, "images.image", **fields)
