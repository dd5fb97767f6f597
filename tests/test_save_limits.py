"""
What one save may ask of the server (glossary/limits.py). A body or a list
of aliases over a limit comes back as the admin form with every typed
character kept and a message naming the limit and the figure, before
anything is parsed, linked or sanitised; a form too large even to read
gets a page saying nothing was saved.
"""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from articles.models import Article
from glossary import markup
from glossary.limits import (
    BODY_MAX_LENGTH,
    HTML_MAX_DEPTH,
    TABLE_MAX_CELLS,
    TABLE_MAX_COLUMNS,
    TERM_MAX_ALIASES,
)
from glossary.models import Term
from tests.admin_pages import (
    admin_form,
    article_add_form,
    change_url,
    edited_form_id,
    term_add_form,
)
from tests.factories import make_article, make_term
from tests.html import element, elements, form_data, text

pytestmark = pytest.mark.django_db

ARTICLE_ADD = reverse("admin:articles_article_add")
TERM_ADD = reverse("admin:glossary_term_add")

START, END = "FIRST-TYPED-WORDS", "LAST-TYPED-WORDS"
PROSE = "Interleukin-6 keeps the joints inflamed, and blocking it helps. "


def prose_of_length(length):
    """Markdown of exactly `length` characters, marked at both ends."""
    middle = length - len(START) - len(END) - 2
    filler = (PROSE * (middle // len(PROSE) + 1))[:middle]
    return f"{START} {filler} {END}"


def nested_divs(depth):
    return f"{START}\n\n" + "<div>" * depth + "deep" + "</div>" * depth + f"\n\n{END}"


def table(columns, rows):
    """A Markdown table: a header, the delimiter row and `rows` rows."""
    header = "|" + "|".join(f"c{n}" for n in range(columns)) + "|\n"
    delimiter = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    row = "|" + "|".join(f"v{n}" for n in range(columns)) + "|\n"
    return f"{START}\n\n{header}{delimiter}{row * rows}\n{END}"


def field_errors(html, name):
    """The error messages shown next to the field `name`."""
    return [
        text(item).strip()
        for error_list in elements(html, "ul", id=f"id_{name}_error")
        for item in elements(error_list, "li")
    ]


def typed_value(html, name):
    """What the field `name` holds on a page sent back to the editor."""
    return form_data(html, edited_form_id(html))[name]


@pytest.fixture
def rendering(monkeypatch):
    """
    The names of the rendering steps that run (Markdown parse, nh3),
    recorded as they are called; clear it before the request to watch.
    """
    calls = []
    parse, clean = markup.parse, markup.nh3.clean

    def spied_parse(*args, **kwargs):
        calls.append("parse")
        return parse(*args, **kwargs)

    def spied_clean(*args, **kwargs):
        calls.append("nh3.clean")
        return clean(*args, **kwargs)

    monkeypatch.setattr(markup, "parse", spied_parse)
    monkeypatch.setattr(markup.nh3, "clean", spied_clean)
    return calls


def assert_refused_with_text_kept(response, field, typed):
    assert response.status_code == 200
    html = response.content.decode()
    kept = typed_value(html, field)
    assert kept.startswith(typed.strip()[:40])
    assert kept.endswith(typed.strip()[-40:])
    assert kept == typed.strip()
    return field_errors(html, field)


# Bodies over the limits


def test_body_over_length_comes_back_with_message_and_text(staff_client):
    body = prose_of_length(BODY_MAX_LENGTH + 1)
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    assert assert_refused_with_text_kept(response, "body", body) == [
        f"The body is {BODY_MAX_LENGTH + 1:,} characters long; the most a body "
        f"can hold is {BODY_MAX_LENGTH:,}."
    ]
    assert Article.objects.exists() is False


@pytest.mark.parametrize(
    "body, message",
    [
        pytest.param(
            nested_divs(50_000),
            f"The body is {len(nested_divs(50_000)):,} characters long; the most "
            f"a body can hold is {BODY_MAX_LENGTH:,}.",
            id="50,000 nested divs",
        ),
        pytest.param(
            nested_divs(5_000),
            f"HTML tags typed in the body nest 5,000 deep; the most is "
            f"{HTML_MAX_DEPTH}. A tag left open (<div> without </div>) holds "
            f"everything after it.",
            id="HTML 5,000 deep",
        ),
        pytest.param(
            table(2_000, 1),
            f"The table on line 3 has 2,000 columns; the most a table can have "
            f"is {TABLE_MAX_COLUMNS}.",
            id="2,000 columns",
        ),
        pytest.param(
            table(10, TABLE_MAX_CELLS // 10),
            f"The body's tables have {10 * (TABLE_MAX_CELLS // 10 + 1):,} cells; "
            f"the most a body's tables can have in all is {TABLE_MAX_CELLS:,}.",
            id="too many cells",
        ),
        pytest.param(
            prose_of_length(5_000_000),
            f"The body is 5,000,000 characters long; the most a body can hold "
            f"is {BODY_MAX_LENGTH:,}.",
            id="5 MB, not Bad Request",
        ),
    ],
)
def test_body_over_a_limit_comes_back_with_message_and_text(
    staff_client, body, message
):
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    assert assert_refused_with_text_kept(response, "body", body) == [message]
    assert Article.objects.exists() is False


def test_body_with_tags_left_open_is_measured_to_the_end(staff_client):
    body = f"{START} " + "<span>open " * (HTML_MAX_DEPTH + 5) + END
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    errors = assert_refused_with_text_kept(response, "body", body)
    assert errors[0].startswith(
        f"HTML tags typed in the body nest {HTML_MAX_DEPTH + 5} deep;"
    )


def test_end_tag_a_browser_ignores_does_not_hide_nesting(staff_client):
    # A browser ignores </span> while a <div> opened inside it is open, so
    # each repeat nests two levels deeper.
    body = f"{START} " + "<span><div></span></span>" * HTML_MAX_DEPTH + END
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    errors = assert_refused_with_text_kept(response, "body", body)
    assert errors[0].startswith(
        f"HTML tags typed in the body nest {2 * HTML_MAX_DEPTH} deep;"
    )


def test_term_body_over_length_comes_back_with_message(staff_client):
    body = prose_of_length(BODY_MAX_LENGTH + 10)
    response = staff_client.post(TERM_ADD, term_add_form(staff_client, body=body))
    assert assert_refused_with_text_kept(response, "body", body) == [
        f"The body is {BODY_MAX_LENGTH + 10:,} characters long; the most a body "
        f"can hold is {BODY_MAX_LENGTH:,}."
    ]
    assert Term.objects.exists() is False


def test_change_over_the_limit_keeps_the_saved_body(staff_client):
    article = make_article(body="The saved body.")
    data = admin_form(staff_client, change_url(article))
    data["body"] = nested_divs(50_000)
    response = staff_client.post(change_url(article), data)
    assert_refused_with_text_kept(response, "body", data["body"])
    article.refresh_from_db()
    assert article.body == "The saved body."


# Aliases


def test_term_with_20000_aliases_comes_back_with_message_and_text(staff_client):
    aliases = "\n".join(f"Brand {number}" for number in range(20_000))
    response = staff_client.post(TERM_ADD, term_add_form(staff_client, aliases=aliases))
    assert assert_refused_with_text_kept(response, "aliases", aliases) == [
        f"The term has 20,000 aliases; the most a term can have is {TERM_MAX_ALIASES}."
    ]
    assert Term.objects.exists() is False


def test_term_with_aliases_at_the_limit_saves(staff_client, client):
    aliases = "\n".join(f"Brand {number}" for number in range(TERM_MAX_ALIASES))
    response = staff_client.post(TERM_ADD, term_add_form(staff_client, aliases=aliases))
    assert response.status_code == 302
    term = Term.objects.get()
    assert len(term.alias_list) == TERM_MAX_ALIASES
    assert f"Brand {TERM_MAX_ALIASES - 1}" in text(
        client.get(term.get_absolute_url()).content.decode()
    )


# Bodies at the limits


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(prose_of_length(BODY_MAX_LENGTH), id="longest body"),
        pytest.param(nested_divs(HTML_MAX_DEPTH), id="deepest HTML"),
        pytest.param(table(TABLE_MAX_COLUMNS, 2), id="widest table"),
        pytest.param(table(10, TABLE_MAX_CELLS // 10 - 1), id="most table cells"),
    ],
)
def test_body_at_the_limits_saves_and_shows(staff_client, client, body):
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    assert response.status_code == 302
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    shown = text(element(page, "div", class_="body"))
    assert START in shown
    assert END in shown


def test_html_a_browser_reads_shallow_is_not_refused(staff_client, client):
    # Elements left open that a browser closes itself (list items,
    # paragraphs, table cells and rows), and Markdown autolinks.
    body = "\n\n".join(
        [
            START,
            "<ul><li>one<li>two<li>three</ul>\n" * 30,
            "<table>" + "<tr><td>a<td>b</tr>" * 50 + "</table>",
            "<div><p>first<p>second</div>\n" * 30,
            "See <https://example.org/> or write to <info@example.org>. " * 30,
            END,
        ]
    )
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    assert response.status_code == 302
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert END in text(element(page, "div", class_="body"))


def test_body_field_has_no_maxlength_to_cut_a_paste(staff_client):
    for url in (ARTICLE_ADD, TERM_ADD):
        html = staff_client.get(url).content.decode()
        assert "maxlength" not in element(html, "textarea", name="body").attrs


# Nothing is rendered before a refusal


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(prose_of_length(BODY_MAX_LENGTH + 1), id="too long"),
        pytest.param(nested_divs(50_000), id="50,000 nested divs"),
        pytest.param(nested_divs(5_000), id="5,000 nested divs"),
        pytest.param(table(2_000, 1), id="2,000 columns"),
        pytest.param(table(10, TABLE_MAX_CELLS), id="too many cells"),
    ],
)
def test_body_over_the_limits_is_refused_before_rendering(
    staff_client, rendering, body
):
    data = article_add_form(staff_client, body=body)
    rendering.clear()
    response = staff_client.post(ARTICLE_ADD, data)
    assert field_errors(response.content.decode(), "body")
    assert rendering == []


def test_too_many_aliases_are_refused_before_rendering(staff_client, rendering):
    aliases = "\n".join(f"Brand {number}" for number in range(20_000))
    data = term_add_form(staff_client, aliases=aliases)
    rendering.clear()
    response = staff_client.post(TERM_ADD, data)
    assert field_errors(response.content.decode(), "aliases")
    assert rendering == []


def test_body_within_the_limits_is_rendered(staff_client, rendering):
    data = article_add_form(staff_client, body="A short body.")
    rendering.clear()
    assert staff_client.post(ARTICLE_ADD, data).status_code == 302
    assert rendering == ["parse", "nh3.clean"]


# Bodies saved without the form


def test_body_over_limits_saved_from_code_shows_as_plain_text(client, rendering):
    body = f"{START}\n\n" + "<div>" * 50_000 + f"\n\n{END}"
    article = make_article(body=body)
    assert rendering == []
    page = client.get(article.get_absolute_url()).content.decode()
    shown = element(page, "div", class_="body")
    assert elements(shown, "div") == []
    assert [text(paragraph) for paragraph in elements(shown, "p")] == [
        START,
        "<div>" * 50_000,
        END,
    ]


def test_body_over_limits_in_the_database_relinks_as_plain_text(client, rendering):
    # A row saved before the limits, or by an import that skipped them.
    term = make_term(body="Short.")
    Term.objects.filter(pk=term.pk).update(body=table(2_000, 3))
    rendering.clear()
    call_command("relink", stdout=io.StringIO())
    assert rendering == []
    page = client.get(term.get_absolute_url()).content.decode()
    shown = element(page, "div", class_="body")
    assert elements(shown, "table") == []
    assert text(elements(shown, "p")[0]) == START


# Markdown nested deeper than markdown-it goes


def test_quotes_and_lists_nested_past_the_limit_keep_their_text(staff_client, client):
    quote = ">" * 30 + " The deepest quoted words."
    items = "".join("  " * level + f"- Item {level}\n" for level in range(15))
    body = f"{quote}\n\n{items}"
    response = staff_client.post(ARTICLE_ADD, article_add_form(staff_client, body=body))
    assert response.status_code == 302
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    shown = element(page, "div", class_="body")
    assert "The deepest quoted words." in text(shown)
    assert [f"Item {level}" in text(shown) for level in range(15)] == [True] * 15
    # Deeper than markdown-it nests, the markers show as typed.
    assert "- Item 14" in text(shown)


# Requests too large to read


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=20_000)
def test_form_too_large_to_read_gets_413_page(staff_client):
    data = article_add_form(staff_client, body=prose_of_length(30_000))
    response = staff_client.post(ARTICLE_ADD, data)
    assert response.status_code == 413
    main = text(element(response.content.decode(), "main"))
    assert "That form was too large to send" in main
    assert "nothing was saved" in main
    assert "Go Back in your browser to return to the form with your text." in main
    assert f"A body can hold up to {BODY_MAX_LENGTH:,} characters" in main
    assert Article.objects.exists() is False


def test_other_bad_requests_still_get_400(client):
    response = client.get("/", headers={"host": "not-this-site.example"})
    assert response.status_code == 400
