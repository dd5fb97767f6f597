import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from articles.models import Article
from tests.factories import make_article, make_reference
from tests.html import description, element, elements, hrefs, ids, text

pytestmark = pytest.mark.django_db

DEMO_ARTICLE_URL = "/articles/what-are-cytokines/"


def form_actions(html):
    return [form.attrs.get("action") for form in elements(html, "form")]


def reference_entry_ids(html):
    return [
        entry.attrs["id"]
        for entry in elements(html, "li")
        if entry.attrs.get("id", "").startswith("ref-")
    ]


def test_home_lists_latest_article_and_the_site_search(client, demo):
    html = client.get("/").content.decode()
    assert DEMO_ARTICLE_URL in hrefs(html)
    assert form_actions(html) == ["/search/"]
    assert "/glossary/" in hrefs(html)


def test_article_list_shows_published_not_drafts(client):
    make_article(title="Visible one")
    make_article(title="Hidden draft", status=Article.Status.DRAFT)
    html = client.get(reverse("articles:list")).content.decode()
    assert "Visible one" in html
    assert "Hidden draft" not in html


def test_demo_article_shows_title_dates_people_and_numbered_references(client, demo):
    response = client.get(DEMO_ARTICLE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assertInHTML("<h1>What are cytokines?</h1>", html)
    updated = description(html, "Updated")
    assert element(updated, "time").attrs["datetime"].startswith("2026-11-20")
    assert text(element(html, "p", class_="medical-review")) == (
        "Medically reviewed by Medical review panel on 18 November 2026"
    )
    assertInHTML('<h2 id="the-main-families">The main families</h2>', html)
    references = element(html, "section", aria_labelledby="references-heading")
    # Vancouver: numbered in the order the body first cites them.
    assert reference_entry_ids(references) == [
        "ref-biobasics-2006",
        "ref-primer-12-cytokines",
        "ref-mcinnes-2007",
    ]
    assert "https://doi.org/10.1038/nri2094" in hrefs(references)
    assert "/tags/rheumatoid-arthritis/" in hrefs(html)


def test_draft_article_is_404_for_visitors(client):
    article = make_article(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_is_404_until_its_date(client):
    article = make_article(published_at=timezone.now() + timezone.timedelta(days=2))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_draft_article_is_previewable_by_staff_with_banner(staff_client):
    article = make_article(title="Work in progress", status=Article.Status.DRAFT)
    response = staff_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is not published" in response.content.decode()


def test_unknown_article_is_404_with_way_on(client):
    response = client.get("/articles/no-such-article/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert form_actions(html) == ["/search/"]


def test_references_page_gives_each_entry_a_stable_anchor(client, demo):
    html = client.get(reverse("references:list")).content.decode()
    for key in ("mcinnes-2007", "biobasics-2006", "primer-12-cytokines"):
        assert f"ref-{key}" in ids(html)


def test_tag_page_lists_articles_and_terms_with_tag(client, demo):
    html = client.get("/tags/treatment/").content.decode()
    assert DEMO_ARTICLE_URL in hrefs(html)
    assert "/glossary/adalimumab/" in hrefs(html)
    assert "/glossary/macrophage/" not in hrefs(html)


def test_tag_page_leaves_out_draft_articles(client):
    make_article(
        title="Draft on treatment", status=Article.Status.DRAFT, tags=["treatment"]
    )
    response = client.get("/tags/treatment/")
    assert response.status_code == 200
    assert "Draft on treatment" not in response.content.decode()


def test_unknown_tag_is_404(client):
    assert client.get("/tags/nothing-here/").status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_article_page_query_count_does_not_grow_with_references_and_tags(
    client, django_assert_num_queries, count
):
    references = [make_reference() for _ in range(count)]
    tags = [f"tag {n}" for n in range(count)]
    article = make_article(references=references, tags=tags)
    for n in range(count):
        make_article(title=f"Sharing tag {n}", tags=tags[n : n + 1])
    # Article, tags, the reference list with its references, the terms it
    # mentions (its JSON-LD's `about`), related articles, the footer's site
    # pages, and when the next scheduled article comes due (until then the
    # page is kept).
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert len(reference_entry_ids(html)) == count
    assert html.count("Sharing tag") == min(count, 5)


# Site search: words in article text ------------------------------------------


@pytest.fixture
def numbered_articles(db):
    """Three articles whose words and citation keys hold look-alike numbers."""
    make_reference(key="cellbook-2006")
    make_reference(key="primer-12-signals")
    make_article(
        title="What are cytokines?",
        slug="cytokines-at-work",
        body=(
            "Cytokines carry messages between cells until the job is done "
            "[@cellbook-2006; @primer-12-signals, p. 4]. A locator beacon "
            "is no part of it."
        ),
    )
    make_article(
        title="Medicines that block IL-6",
        slug="il-6-medicines",
        body="Anti IL-6 medicines stop interleukin 6 from reaching its receptor.",
    )
    make_article(
        title="Two more messengers",
        slug="il-12",
        summary="What IL-12 does.",
        body="Both are studied as antiTNF treatments are.",
    )


NUMBERED_ARTICLES = {
    "/articles/cytokines-at-work/",
    "/articles/il-6-medicines/",
    "/articles/il-12/",
}


def numbered_article_hrefs(client, query):
    """The articles of `numbered_articles` that site search lists, in order."""
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    articles = element(html, "section", aria_labelledby="article-results")
    # Demo articles loaded by earlier tests of this module may match too.
    return [href for href in hrefs(articles) if href in NUMBERED_ARTICLES]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("IL-6", ["/articles/il-6-medicines/"]),
        ("il 6", ["/articles/il-6-medicines/"]),
        ("interleukin 6", ["/articles/il-6-medicines/"]),
        ("anti-IL-6", ["/articles/il-6-medicines/"]),
        ("IL-12", ["/articles/il-12/"]),
        ("12", ["/articles/il-12/"]),
        ("IL-1", []),
        ("anti-TNF", ["/articles/il-12/"]),
        ("cytokine", ["/articles/cytokines-at-work/"]),
        ("IL-2", []),
        ("6", ["/articles/il-6-medicines/"]),
        ("2006", []),
        ("cellbook", []),
        ("cat", []),
    ],
)
def test_site_search_matches_whole_numbers_and_word_starts(
    client, numbered_articles, query, found
):
    # "il" in "until", "6" in "2006", "12" in a citation key and "cat" in
    # "locator" are no matches.
    assert numbered_article_hrefs(client, query) == found


def test_times_are_machine_readable_to_the_second(client):
    # A save stamps microseconds, which HTML's datetime attribute refuses
    # (at most three digits of a second).
    article = make_article(updated_at=timezone.now().replace(microsecond=123456))
    html = client.get(article.get_absolute_url()).content.decode()
    stamps = [time.attrs["datetime"] for time in elements(html, "time")]
    assert stamps
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp


def test_cards_say_when_an_article_was_published_and_updated(client):
    make_article(
        title="Updated later",
        published_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
        updated_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    make_article(
        title="Never updated",
        published_at=datetime(2026, 11, 3, 9, tzinfo=UTC),
        updated_at=datetime(2026, 11, 3, 9, tzinfo=UTC),
    )
    html = client.get("/articles/").content.decode()
    cards = {text(element(card, "h2")): card for card in elements(html, "article")}
    assert text(element(cards["Updated later"], "p", class_="meta")) == (
        "Published 2 November 2026 · Updated 20 November 2026"
    )
    assert text(element(cards["Never updated"], "p", class_="meta")) == (
        "Published 3 November 2026"
    )
