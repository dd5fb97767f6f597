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
