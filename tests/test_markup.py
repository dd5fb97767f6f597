import pytest
from pytest_django.asserts import assertInHTML

from glossary.markup import render_markdown
from tests.html import elements, hrefs


def test_markdown_renders_commonmark_emphasis_and_lists():
    html = render_markdown("Some *emphasis*.\n\n- one\n- two\n")
    assertInHTML("<em>emphasis</em>", html)
    assertInHTML("<li>one</li>", html)


def test_headings_get_ids_and_h1_becomes_h2():
    html = render_markdown("# Top\n\n## When the balance tips\n")
    assertInHTML('<h2 id="top">Top</h2>', html)
    assertInHTML('<h2 id="when-the-balance-tips">When the balance tips</h2>', html)
    assert elements(html, "h1") == []


def test_script_typed_by_editor_is_removed():
    html = render_markdown(
        'Hello <script>alert("x")</script> <img src=x onerror=alert(1)>'
    )
    assert "<script" not in html
    assert "alert(" not in html
    assert "onerror" not in html


def test_javascript_link_is_neutralised():
    html = render_markdown(
        '[click](javascript:alert(1)) <a href="javascript:alert(2)">raw</a>'
    )
    assert 'href="javascript' not in html
    # Browsers ignore case and leading spaces in the scheme.
    assert not [
        href for href in hrefs(html) if href.strip().lower().startswith("javascript:")
    ]


def test_empty_body_renders_empty():
    assert render_markdown("") == ""


REST = "After it, this paragraph matters.\n\n## Dosage\n\nTake *with* food."


def assert_rest_shown(html):
    assertInHTML("<p>After it, this paragraph matters.</p>", html)
    assertInHTML('<h2 id="dosage">Dosage</h2>', html)
    assertInHTML("<p>Take <em>with</em> food.</p>", html)


@pytest.mark.parametrize(
    "left_open",
    [
        "<!-- a note to self",
        "<style>",
        "<SCRIPT type=text/javascript>",
        "<textarea>",
        "<pre>",
        "Some text and <title>a title",
        "<plaintext>",
        "<table><tr><td>a cell",
        "<div><p>a paragraph left open",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<svg><g><text>a drawing",
    ],
)
def test_html_left_open_in_a_body_leaves_the_rest_shown(left_open):
    html = render_markdown(f"Before it.\n\n{left_open}\n\n{REST}")
    assertInHTML("<p>Before it.</p>", html)
    assert_rest_shown(html)
    assert "onerror" not in html


def test_what_a_left_open_comment_or_style_held_is_shown_as_text():
    html = render_markdown(f"<!-- a note\n\n<style>\n\n{REST}")
    assertInHTML("<p>&lt;!-- a note</p>", html)
    assertInHTML("<p>&lt;style&gt;</p>", html)


def test_closed_comments_stay_hidden_and_closed_scripts_removed():
    html = render_markdown(
        f"A <!-- hidden --> word.\n\n<!-- a note\nover lines -->\n\n"
        f"<script>alert(1)</script>\n\n{REST}"
    )
    assert "hidden" not in html and "a note" not in html and "alert" not in html
    assert_rest_shown(html)
