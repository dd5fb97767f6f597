import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from glossary.models import Term
from tests.factories import make_article, make_reference, make_term
from tests.html import element, elements, hrefs, ids, links

pytestmark = pytest.mark.django_db(transaction=True)


def term_links(html):
    """(href, text) of every glossary term link in rendered HTML, in order."""
    return links(html, css_class="term-link")


@pytest.fixture
def glossary():
    return {
        "tnf": make_term(
            name="Tumor necrosis factor alpha",
            slug="tnf-alpha",
            aliases="TNF\nTNF-α\nTNF-alpha",
            definition="A pro-inflammatory cytokine.",
        ),
        "blocker": make_term(
            name="TNF blocker",
            slug="tnf-blocker",
            aliases="TNF blockers",
            definition="A drug that binds TNF.",
        ),
        "adalimumab": make_term(
            name="Adalimumab",
            slug="adalimumab",
            aliases="Humira",
            definition="A TNF blocker antibody.",
        ),
    }


def test_only_first_mention_of_a_term_is_linked(glossary):
    article = make_article(body="Humira is taken weekly. Adalimumab again, humira.")
    assert term_links(article.body_html) == [("/glossary/adalimumab/", "Humira")]


def test_longest_match_wins(glossary):
    article = make_article(
        body="Doctors may offer TNF blockers. TNF itself is a cytokine."
    )
    assert term_links(article.body_html) == [
        ("/glossary/tnf-blocker/", "TNF blockers"),
        ("/glossary/tnf-alpha/", "TNF"),
    ]


def test_matching_ignores_case_and_needs_whole_words(glossary):
    article = make_article(body="HUMIRAN and preHumira are not words here; hUmIrA is.")
    assert term_links(article.body_html) == [("/glossary/adalimumab/", "hUmIrA")]


@pytest.mark.parametrize("typed", ["TNF-α", "tnf-alpha", "TNF‑α"])
def test_alias_with_greek_letter_or_hyphen_variant_links(glossary, typed):
    article = make_article(body=f"Levels of {typed} rise in inflamed joints.")
    assert term_links(article.body_html) == [("/glossary/tnf-alpha/", typed)]


def test_term_split_over_two_source_lines_links(glossary):
    article = make_article(body="Some TNF\nblockers are antibodies.")
    assert term_links(article.body_html) == [
        ("/glossary/tnf-blocker/", "TNF\nblockers")
    ]


def test_no_auto_links_in_headings_code_or_existing_links(glossary):
    body = (
        "## About Humira\n\n"
        "Call `Humira` in code.\n\n"
        "    Humira in a code block\n\n"
        "[Humira website](https://example.org) and <a href='/x'>Humira</a>.\n\n"
        "Finally Humira."
    )
    html = make_article(body=body).body_html
    assert term_links(html) == [("/glossary/adalimumab/", "Humira")]
    assertInHTML('<h2 id="about-humira">About Humira</h2>', html)
    assertInHTML("<code>Humira</code>", html)
    (linking_paragraph,) = [
        paragraph
        for paragraph in elements(html, "p")
        if elements(paragraph, "a", class_="term-link")
    ]
    assert linking_paragraph.text.startswith("Finally")


def test_term_body_does_not_link_to_itself(glossary):
    term = glossary["adalimumab"]
    term.body = "Adalimumab (Humira) is a TNF blocker."
    term.save()
    assert term_links(term.body_html) == [("/glossary/tnf-blocker/", "TNF blocker")]


def test_explicit_link_by_alias_with_shown_text(glossary):
    article = make_article(body="See [[Humira|this medicine]] and [[TNF-α]].")
    assert term_links(article.body_html) == [
        ("/glossary/adalimumab/", "this medicine"),
        ("/glossary/tnf-alpha/", "TNF-α"),
    ]


def test_unknown_explicit_link_is_marked_and_reported(glossary, admin_client):
    article = make_article(title="Has a gap", body="See [[Golimumab|golimumab]].")
    assertInHTML(
        '<span class="unresolved-link" title="No glossary entry called Golimumab">'
        "golimumab</span>",
        article.body_html,
    )
    assert article.unresolved_links == ["Golimumab"]
    html = admin_client.get(reverse("admin:link-problems")).content.decode()
    assert "Has a gap" in html and "Golimumab" in html
    changelist = admin_client.get(
        reverse("admin:articles_article_changelist"), {"link_problems": "yes"}
    ).content.decode()
    assert "Has a gap" in changelist


def test_preview_carries_definition_and_is_described_by(glossary):
    html = make_article(body="Humira.").body_html
    link = element(html, "a", class_="term-link")
    assert link.attrs["aria-describedby"] == "term-preview-1"
    assertInHTML(
        '<span class="term-preview" role="tooltip" id="term-preview-1">'
        "<strong>Adalimumab</strong>: A TNF blocker antibody.</span>",
        html,
    )


def test_citations_are_numbered_by_first_use(client):
    # Listed alpha first, but beta is cited first: beta is 1, alpha 2.
    alpha = make_reference(key="alpha", title="Alpha study")
    beta = make_reference(key="beta", title="Beta study")
    article = make_article(references=[alpha, beta], body="")
    article.body = "One.[@beta] Two.[@alpha] Three.[@beta]"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    citations = [
        link
        for link in elements(html, "a")
        if link.attrs.get("id", "").startswith("cite-")
    ]
    assert [(link.attrs["href"], link.text) for link in citations] == [
        ("#ref-beta", "1"),
        ("#ref-alpha", "2"),
        ("#ref-beta", "1"),
    ]
    # The reference list on the page is in the same order: entry n is the
    # reference that number n points to.
    listed = [
        entry.attrs.get("id") for entry in elements(html, "li", class_="reference")
    ]
    assert listed == ["ref-beta", "ref-alpha"]
    assert html.index("Beta study") < html.index("Alpha study")
    assert article.reference_list()[0].citation_ids == ["cite-beta-1", "cite-beta-2"]


def test_multi_key_citation_renders_each_number():
    make_reference(key="alpha")
    make_reference(key="beta")
    article = make_article(body="Both agree.[@alpha; @beta]")
    assertInHTML(
        '<sup class="citation">'
        '<a href="#ref-alpha" id="cite-alpha-1" aria-label="Reference 1">1</a>,'
        '<a href="#ref-beta" id="cite-beta-1" aria-label="Reference 2">2</a>'
        "</sup>",
        article.body_html,
    )


def test_cited_reference_is_attached_and_uncited_listed_after(client):
    uncited = make_reference(key="uncited", title="Never cited")
    make_reference(key="cited", title="Cited in text")
    article = make_article(references=[uncited], body="A claim.[@cited]")
    assert [listed.key for listed in article.reference_list()] == ["cited", "uncited"]
    html = client.get(article.get_absolute_url()).content.decode()
    anchors = ids(html)
    assert anchors.index("ref-cited") < anchors.index("ref-uncited")
    assert "#cite-cited-1" in hrefs(html)


def test_unknown_citation_key_is_marked_and_reported():
    article = make_article(body="A claim.[@nobody-2020]")
    assertInHTML(
        '<span class="citation-missing" '
        'title="No reference has the key “nobody-2020”.">@nobody-2020?</span>',
        article.body_html,
    )
    assert article.unknown_citations == ["nobody-2020"]


def test_renaming_a_term_updates_article_links(glossary):
    article = make_article(body="Humira and Amjevita.")
    term = Term.objects.get(slug="adalimumab")
    term.slug = "adalimumab-biologic"
    term.aliases = "Amjevita"
    term.save()
    article.refresh_from_db()
    assert term_links(article.body_html) == [
        ("/glossary/adalimumab-biologic/", "Amjevita")
    ]


def test_new_term_links_existing_articles_in_one_pass():
    article = make_article(body="Golimumab is another option.")
    assert term_links(article.body_html) == []
    with transaction.atomic():
        make_term(name="Golimumab", slug="golimumab", aliases="Simponi")
    article.refresh_from_db()
    assert term_links(article.body_html) == [("/glossary/golimumab/", "Golimumab")]


def test_definition_change_updates_previews_in_articles(glossary):
    article = make_article(body="Humira.")
    term = Term.objects.get(slug="adalimumab")
    term.definition = "A newer definition."
    term.save()
    article.refresh_from_db()
    assert "A newer definition." in article.body_html


def test_deleting_a_term_removes_its_links_without_error(glossary, client):
    article = make_article(body="Humira and [[Humira|the pen]].")
    Term.objects.get(slug="adalimumab").delete()
    article.refresh_from_db()
    assert term_links(article.body_html) == []
    assert article.unresolved_links == ["Humira"]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_term_page_lists_articles_and_terms_that_mention_it(glossary, client):
    make_article(title="Living with arthritis", body="Many take Humira.")
    make_article(title="Unpublished", body="Humira.", status="draft")
    glossary["blocker"].body = "Adalimumab is one."
    glossary["blocker"].save()
    html = client.get("/glossary/adalimumab/").content.decode()
    mentions = element(html, "section", aria_labelledby="mentions-heading")
    assert "Living with arthritis" in mentions.text
    assert ("/glossary/tnf-blocker/", "TNF blocker") in links(mentions)
    assert "Unpublished" not in html


def test_edit_that_removes_a_link_drops_the_mention(glossary, client):
    article = make_article(title="Living with arthritis", body="Many take Humira.")
    page = client.get("/glossary/adalimumab/").content.decode()
    assert "Living with arthritis" in page
    article.body = "Many take tablets."
    article.save()
    assert list(article.mentioned_terms.all()) == []
    page = client.get("/glossary/adalimumab/").content.decode()
    assert "Living with arthritis" not in page
    assert "mentions-heading" not in ids(page)


@override_settings(ROOT_URLCONF="tests.urls_glossary_elsewhere")
def test_auto_links_follow_the_glossary_where_it_is_mounted(glossary, client):
    article = make_article(body="Humira, or [[TNF blocker|a TNF blocker]].")
    assert term_links(article.body_html) == [
        ("/health-words/adalimumab/", "Humira"),
        ("/health-words/tnf-blocker/", "a TNF blocker"),
    ]
    assert client.get("/health-words/adalimumab/").status_code == 200


def test_relink_command_rerenders_every_body(glossary):
    article = make_article(body="Humira.")
    type(article).objects.filter(pk=article.pk).update(body_html="stale")
    call_command("relink", verbosity=0)
    article.refresh_from_db()
    assert term_links(article.body_html) == [("/glossary/adalimumab/", "Humira")]


def test_relink_outdated_rerenders_only_bodies_from_older_rules(glossary, client):
    # As stored before an upgrade: rendered by older rules, with an editor's
    # marker in the HTML that every visitor saw.
    old = make_article(title="Old", body="Humira and [[Nothing here]].")
    type(old).objects.filter(pk=old.pk).update(
        body_html='<p>Humira and <span class="unresolved-link">Nothing here</span></p>',
        rendering_version=0,
    )
    current = make_article(title="Current", body="Humira.")
    type(current).objects.filter(pk=current.pk).update(body_html="<p>kept</p>")

    call_command("relink", outdated=True, verbosity=0)

    page = client.get(old.get_absolute_url()).content.decode()
    assert links(element(page, class_="body"), css_class="term-link") == [
        ("/glossary/adalimumab/", "Humira")
    ]
    assert elements(page, class_="unresolved-link") == []
    current.refresh_from_db()
    assert current.body_html == "<p>kept</p>"


@pytest.mark.parametrize("term_count", [1, 30])
def test_article_page_query_count_does_not_grow_with_terms(
    client, django_assert_num_queries, term_count
):
    names = [f"Cytokine{n}" for n in range(term_count)]
    for name in names:
        make_term(name=name)
    article = make_article(
        body=" ".join(names), references=[make_reference()], tags=["a"]
    )
    # Article, tags, reference list, the terms it mentions (its JSON-LD's
    # `about`, one query however many), related articles, the footer's site
    # pages, and when the next scheduled article comes due.
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert len(term_links(response.content.decode())) == term_count


def test_demo_article_links_every_drug_and_cytokine_it_names(client):
    call_command("load_demo", verbosity=0)
    html = client.get("/articles/what-are-cytokines/").content.decode()
    linked = {href for href, _ in term_links(html)}
    for slug in (
        "cytokine", "interferon", "interleukin", "interleukin-1", "tnf-alpha",
        "anakinra", "etanercept", "infliximab", "adalimumab", "rheumatoid-arthritis",
        "macrophage",
    ):  # fmt: skip
        assert f"/glossary/{slug}/" in linked, slug
    drug_page = client.get("/glossary/etanercept/").content.decode()
    assertInHTML("<dt>Inhibits</dt>", drug_page)
    assert ("/articles/what-are-cytokines/", "What are cytokines?") in links(drug_page)


def test_link_placeholders_typed_by_an_editor_are_dropped(glossary):
    article = make_article(body="Humira \ue0000\ue001 and \ue0001\ue001.")
    assert "\ue000" not in article.body_html
    assert term_links(article.body_html) == [("/glossary/adalimumab/", "Humira")]


def test_special_characters_in_explicit_link_text_are_escaped(glossary):
    article = make_article(body='[[Humira|a < b & "c"]]')
    assert term_links(article.body_html) == [("/glossary/adalimumab/", 'a < b & "c"')]
    # Parsing reads the text back the same whether or not it was escaped.
    assert "a &lt; b &amp; &quot;c&quot;" in article.body_html


def test_raw_html_around_explicit_link_cannot_run_script(glossary):
    article = make_article(body="[[Humira|<img src=x onerror=alert(1)>]]")
    assert "onerror" not in article.body_html
    assert "alert(1)" not in article.body_html


def test_links_still_follow_changes_after_a_rolled_back_save():
    article = make_article(body="Golimumab is another option.")
    with pytest.raises(RuntimeError), transaction.atomic():
        make_term(name="Certolizumab")
        raise RuntimeError("editor's save failed")
    make_term(name="Golimumab", slug="golimumab")
    article.refresh_from_db()
    assert term_links(article.body_html) == [("/glossary/golimumab/", "Golimumab")]


def test_adding_a_cited_reference_resolves_the_citation():
    article = make_article(body="A claim.[@smith-2024]")
    assert article.unknown_citations == ["smith-2024"]
    make_reference(key="smith-2024")
    article.refresh_from_db()
    assert article.unknown_citations == []
    assert "#ref-smith-2024" in hrefs(article.body_html)
    assert [listed.key for listed in article.reference_list()] == ["smith-2024"]


def test_renaming_a_reference_key_carries_its_citations_along():
    reference = make_reference(key="smith-2024")
    article = make_term(name="Smithium", body="A claim.[@smith-2024]")
    reference.key = "smith-2025"
    reference.save()
    article.refresh_from_db()
    assert article.body == "A claim.[@smith-2025]"
    assert article.unknown_citations == []
    assert "#ref-smith-2025" in hrefs(article.body_html)
