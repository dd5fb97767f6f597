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


def set_row(data, prefix, index, **fields):
    """Fill inline row `index`, adding it to the formset if it is new."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    if index >= total:
        for new in range(total, index + 1):
            data.setdefault(f"{prefix}-{new}-id", "")
        data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value


def article_add_form(client, **fields):
    """The article add form, filled in as an editor would, with `fields` over it."""
    data = admin_form(client, reverse("admin:articles_article_add"))
    data.update(
        title="Cytokines in the joints",
        summary="How joint inflammation is kept going.",
        body="Swelling is driven by messengers [@mcinnes-2007].",
        status="published",
    )
    data.update(fields)
    return data


def term_add_form(client, **fields):
    """The term add form, filled in as an editor would, with `fields` over it."""
    data = admin_form(client, reverse("admin:glossary_term_add"))
    data.update(
        name="Interleukin-6",
        kind="cytokine",
        aliases="IL-6\nIL6",
        definition="A messenger protein that drives fever and inflammation.",
        body="Raised in active arthritis [@mcinnes-2007].",
    )
    data.update(fields)
    return data
