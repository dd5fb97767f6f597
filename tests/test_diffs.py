"""Word diffs that editors read when comparing versions."""

from editorial.diffs import changed_fields, word_diff


def test_a_changed_word_is_shown_struck_out_and_its_replacement_added():
    html = word_diff("TNF-alpha drives inflammation.", "TNF-alpha drives swelling.")
    assert html == "TNF-alpha drives <del>inflammation</del><ins>swelling</ins>."


def test_an_added_paragraph_is_shown_as_added_and_the_rest_left_plain():
    old = "First paragraph.\n\nSecond paragraph.\n"
    new = "First paragraph.\n\nA new paragraph.\n\nSecond paragraph.\n"
    html = word_diff(old, new)
    assert "<ins>" in html and "A new paragraph." in html
    assert "<del>" not in html
    assert html.startswith("First paragraph.")


def test_text_in_a_diff_is_escaped():
    html = word_diff("<b>old</b>", "<script>alert(1)</script>")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;" in html and "alert(1)" in html


def test_lists_compare_one_item_a_line():
    changes = changed_fields(
        {"aliases": ["Humira", "D2E7"], "name": "Adalimumab"},
        {"aliases": ["Humira"], "name": "Adalimumab"},
        {"name": "Name", "aliases": "Aliases"},
    )
    assert [change.label for change in changes] == ["Aliases"]
    assert "<del>" in changes[0].diff and "D2E7" in changes[0].diff


def test_unchanged_fields_are_left_out():
    assert changed_fields({"title": "A"}, {"title": "A"}, {"title": "Title"}) == []


def test_a_long_body_shows_every_edit():
    # A body near the size limit, with a word changed in every other
    # paragraph.
    paragraphs = [f"Paragraph {n} about cytokines and receptors." for n in range(2500)]
    edited = [
        p.replace("about", "on") if n % 2 else p for n, p in enumerate(paragraphs)
    ]
    html = word_diff("\n\n".join(paragraphs), "\n\n".join(edited))
    assert html.count("<ins>on</ins>") == 1250
    assert html.count("<del>about</del>") == 1250


def test_a_rewritten_passage_keeps_every_word_of_both_versions():
    old = " ".join(f"old{n}" for n in range(3000))
    new = " ".join(f"new{n}" for n in range(3000))
    html = word_diff(old, new)
    assert "old2999" in html and "new2999" in html


def test_long_unchanged_runs_are_folded_and_the_change_is_seen():
    paragraphs = [f"Paragraph {n}." for n in range(40)]
    edited = [*paragraphs[:-1], "Paragraph 39, now longer."]
    html = word_diff("\n".join(paragraphs), "\n".join(edited))
    assert "… 36 unchanged lines …" in html
    assert "Paragraph 36." in html and "Paragraph 5." not in html
    assert "<ins>, now longer</ins>" in html


def test_outer_whitespace_and_line_endings_are_no_change():
    old = {"body": "Swelling comes and goes.\n", "title": "Joints"}
    new = {"body": "Swelling comes and goes.", "title": "Joints\r\n"}
    assert changed_fields(old, new, {"body": "Body", "title": "Title"}) == []
