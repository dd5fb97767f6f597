from glossary.markup import render_markdown


def test_markdown_renders_commonmark_emphasis_and_lists():
    html = render_markdown("Some *emphasis*.\n\n- one\n- two\n")
    assert "<em>emphasis</em>" in html
    assert "<li>one</li>" in html


def test_headings_get_ids_and_h1_becomes_h2():
    html = render_markdown("# Top\n\n## When the balance tips\n")
    assert '<h2 id="top">Top</h2>' in html
    assert '<h2 id="when-the-balance-tips">When the balance tips</h2>' in html
    assert "<h1" not in html


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


def test_empty_body_renders_empty():
    assert render_markdown("") == ""
