import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertInHTML

from glossary.models import Term
from tests.factories import make_term
from tests.html import element, elements, hrefs, text

pytestmark = pytest.mark.django_db


def first_result(client, query):
    """Slug of the first suggestion for `query`, or None."""
    response = client.get(reverse("glossary:suggest"), {"q": query})
    assert response.status_code == 200
    results = response.json()["results"]
    return results[0]["url"].strip("/").split("/")[-1] if results else None


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("adalimumab", "adalimumab"),  # generic name
        ("Humira", "adalimumab"),  # brand
        ("Kineret", "anakinra"),
        ("RA", "rheumatoid-arthritis"),  # abbreviation
        ("hUMIRA", "adalimumab"),  # case
        ("Rémicade", "infliximab"),  # accents
        ("ÉTANERCEPT", "etanercept"),
        ("TNF-α", "tnf-alpha"),  # Greek letter as typed
        ("IL1", "interleukin-1"),  # punctuation and spaces do not matter
        ("IL-1", "interleukin-1"),
        ("il 1", "interleukin-1"),
        ("IL–1", "interleukin-1"),
        ("kiner", "anakinra"),  # prefix
        ("humi", "adalimumab"),
        ("adalimumib", "adalimumab"),  # typos
        ("etanercep", "etanercept"),
        ("infliximap", "infliximab"),
        ("ifliximab", "infliximab"),
        ("bone marrow", "colony-stimulating-factors"),  # definition words
    ],
)
def test_search_finds_expected_term_first(client, demo, query, slug):
    assert first_result(client, query) == slug


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("NF kappa B", "nf-kb"),  # spelled out, with spaces
        ("nfkappab", "nf-kb"),
        ("IFN gamma", "ifn-gamma"),
        ("INTERFERON Γ", "interferon-gamma"),  # a capital Greek letter
        ("interferon γ", "interferon-gamma"),  # Greek letter for a spelled name
    ],
)
def test_greek_letters_match_their_spelled_names(client, db, query, slug):
    # None of these terms has an alias that spells the letter out, so only
    # the mapping of Greek letters to their names can find them.
    make_term(name="NF-κB", slug="nf-kb", definition="A transcription factor.")
    make_term(name="IFN-γ", slug="ifn-gamma", definition="A cytokine.")
    make_term(
        name="Interferon gamma", slug="interferon-gamma", definition="A cytokine."
    )
    assert first_result(client, query) == slug


def suggested_slugs(client, query):
    response = client.get(reverse("glossary:suggest"), {"q": query})
    return [r["url"].strip("/").split("/")[-1] for r in response.json()["results"]]


def test_ranking_puts_exact_before_prefix_before_definition(client, db):
    make_term(name="Cortisolone", slug="prefix-match", definition="A steroid.")
    make_term(name="Stress", slug="definition-match", definition="Raises cortisol.")
    make_term(name="Cortisol", slug="exact-match", definition="A hormone.")
    assert suggested_slugs(client, "cortisol") == [
        "exact-match",
        "prefix-match",
        "definition-match",
    ]


def test_typo_finds_the_name_and_prefix_ranks_before_definition(client, db):
    make_term(
        name="Steroid", slug="definition-match", definition="Prednisolone is one."
    )
    make_term(name="Prednisolone", slug="name-match", definition="A steroid.")
    assert suggested_slugs(client, "prednisolne") == ["name-match"]
    assert suggested_slugs(client, "prednisol") == ["name-match", "definition-match"]


def test_tiers_sort_exact_prefix_typo_then_words():
    from glossary.search import Hit, Tier

    hits = [
        Hit(4, "defined", "definition", Tier.WORDS, -9.0),
        Hit(3, "typo", "name", Tier.TYPO, 1),
        Hit(2, "prefix", "alias", Tier.PREFIX, 9),
        Hit(1, "exact", "alias", Tier.EXACT, 5),
    ]
    assert [hit.term_id for hit in sorted(hits, key=lambda h: h.sort_key)] == [
        1,
        2,
        3,
        4,
    ]


def test_typo_search_is_skipped_when_a_name_starts_with_the_query(client, db):
    make_term(name="Predniso", slug="exact-match", definition="Made up.")
    make_term(name="Prednisone", slug="prefix-match", definition="A steroid.")
    make_term(name="Bredniso", slug="typo-match", definition="Made up too.")
    assert suggested_slugs(client, "predniso") == ["exact-match", "prefix-match"]


def test_known_definition_word_is_not_corrected_into_a_name(client, db):
    make_term(name="Complement", slug="complement", definition="Proteins in blood.")
    make_term(name="Marker", slug="marker", definition="A sign of complemar activity.")
    assert suggested_slugs(client, "complemar") == ["marker"]


def test_name_match_ranks_above_definition_mention(client, demo):
    response = client.get(reverse("glossary:suggest"), {"q": "macrophage"})
    slugs = [r["url"] for r in response.json()["results"]]
    assert slugs[0] == "/glossary/macrophage/"
    assert "/glossary/tnf-alpha/" in slugs[1:]


def test_suggest_json_shape(client, demo):
    response = client.get(reverse("glossary:suggest"), {"q": "humi"})
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [
            {
                "name": "Adalimumab",
                "url": "/glossary/adalimumab/",
                "kind": "Drug",
                "definition": Term.objects.get(slug="adalimumab").definition,
                "matched": "Humira",
                "matched_in": "alias",
            }
        ],
        "searched_for": "",
        "ignored_words": [],
    }


def test_suggest_returns_at_most_ten(client, db):
    for n in range(15):
        make_term(name=f"Interleukin-{n + 2}", definition="An interleukin.")
    response = client.get(reverse("glossary:suggest"), {"q": "interleukin"})
    assert len(response.json()["results"]) == 10


def test_suggest_blank_query_gives_no_results(client, demo):
    assert client.get(reverse("glossary:suggest"), {"q": "  "}).json() == {
        "results": [],
        "searched_for": "",
        "ignored_words": [],
    }


def test_search_page_shows_matched_alias_highlighted(client, demo):
    html = client.get(reverse("glossary:search"), {"q": "humi"}).content.decode()
    definition = escape(Term.objects.get(slug="adalimumab").definition)
    assertInHTML(
        '<li><span class="matched"><mark>Humi</mark>ra</span> → '
        '<a href="/glossary/adalimumab/">Adalimumab</a> '
        '<span class="kind">Drug</span>'
        f'<br><span class="definition">{definition}</span></li>',
        html,
    )


def test_search_page_highlights_definition_words(client, demo):
    html = client.get(reverse("glossary:search"), {"q": "bone marrow"}).content.decode()
    assertInHTML(
        '<span class="definition">Cytokines that tell the <mark>bone</mark> '
        "<mark>marrow</mark> to make more of particular kinds of blood cell.</span>",
        html,
    )


def test_search_without_javascript_is_a_plain_get_form(client, demo):
    home = client.get("/").content.decode()
    (form,) = elements(home, "form", action="/search/", method="get")
    assert elements(form, "input", name="q")
    html = client.get("/glossary/search/?q=Enbrel").content.decode()
    assertInHTML('<a href="/glossary/etanercept/">Etanercept</a>', html)


def test_no_match_offers_did_you_mean(client, demo):
    html = client.get(
        reverse("glossary:search"), {"q": "infliksimabb"}
    ).content.decode()
    assert "0 results" in html
    assertInHTML(
        '<p class="did-you-mean">'
        'Did you mean <a href="/glossary/infliximab/">Infliximab</a>?</p>',
        html,
    )


def test_site_search_groups_articles_and_terms(client, demo):
    html = client.get(reverse("search"), {"q": "cytokines"}).content.decode()
    articles = element(html, "section", aria_labelledby="article-results")
    terms = element(html, "section", aria_labelledby="term-results")
    assert "/articles/what-are-cytokines/" in hrefs(articles)
    assert "/glossary/cytokine/" in hrefs(terms)


def test_site_search_offers_did_you_mean_when_nothing_matches(client, demo):
    html = client.get(reverse("search"), {"q": "infliksimabb"}).content.decode()
    assertInHTML(
        '<p class="did-you-mean">'
        'Did you mean <a href="/glossary/infliximab/">Infliximab</a>?</p>',
        html,
    )


def test_site_search_finds_article_by_body_text(client, demo):
    html = client.get(reverse("search"), {"q": "cartilage"}).content.decode()
    assert "/articles/what-are-cytokines/" in hrefs(html)


def test_empty_query_shows_prompt(client, demo):
    html = client.get(reverse("glossary:search"), {"q": ""}).content.decode()
    assert "browse the glossary from A to Z" in html
    assert client.get(reverse("search")).status_code == 200


LONG_DEFINITION = (
    "An antibody medicine that blocks the interleukin 6 receptor on many kinds "
    "of cells, given by drip or injection to calm inflammation in rheumatoid "
    "arthritis when other treatments such as methotrexate have not worked well "
    "enough."
)


def test_overlong_query_is_cut_at_200_characters_and_still_finds(client, demo):
    # A reader pastes a whole sentence from a definition, and more.
    make_term(name="Tocilizumab", slug="tocilizumab", definition=LONG_DEFINITION)
    query = LONG_DEFINITION + " That is what the leaflet said about it."
    assert len(LONG_DEFINITION) > 200
    response = client.get(reverse("glossary:search"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "only the first 200 were used" in html
    searched = [field.attrs.get("value") for field in elements(html, name="q")]
    assert query[:200].strip() in searched
    results = element(html, class_="results")
    assert "/glossary/tocilizumab/" in hrefs(results)


BAD_QUERIES = [
    '"',
    '"Humira',
    "*",
    "humi*",
    "NEAR(humira enbrel)",
    "a:b",
    "words: humira",
    "(",
    ")",
    "humira OR enbrel",
    "AND",
    "NOT",
    "^humira",
    ".*+?[](){}|\\",
    "' OR 1=1 --",
    "'; DROP TABLE glossary_term; --",
    "\x00",
    "humira\x00enbrel",
    "\x1b[31m",
    "%",
    "_",
    "\\",
    "α" * 300,
    "🧬💊",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize("view", ["glossary:search", "glossary:suggest", "search"])
def test_bad_input_is_plain_text_to_search(client, demo, view, query):
    response = client.get(reverse(view), {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize("raw", ["q=%ZZ", "q=%FF%FE", "q=%00", "q=%", "q=humi%E2%82"])
def test_invalid_percent_encoding_is_not_an_error(client, demo, raw):
    for view in ("glossary:search", "glossary:suggest", "search"):
        response = client.get(reverse(view), QUERY_STRING=raw)
        assert response.status_code == 200


@pytest.mark.parametrize("query", ['"Humira"', "(Humira)", "Humira*", "humira:"])
def test_operator_characters_around_a_name_are_ignored(client, demo, query):
    assert first_result(client, query) == "adalimumab"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_causes_a_server_error(client, demo, text):
    for view in ("glossary:search", "glossary:suggest"):
        response = client.get(reverse(view), {"q": text})
        assert response.status_code == 200
    json.loads(client.get(reverse("glossary:suggest"), {"q": text}).content)


def test_index_follows_add_rename_alias_change_and_delete(client, db):
    term = make_term(name="Golimumab", slug="golimumab", aliases="Simponi")
    assert first_result(client, "simponi") == "golimumab"
    term.name = "Golimumab injection"
    term.save()
    assert first_result(client, "golimumab injection") == "golimumab"
    term.aliases = "Simponi Aria"
    term.save()
    assert first_result(client, "simponi aria") == "golimumab"
    response = client.get(reverse("glossary:suggest"), {"q": "simponi"}).json()
    assert [r["matched"] for r in response["results"]] == ["Simponi Aria"]
    term.delete()
    assert first_result(client, "simponi") is None
    assert first_result(client, "golimumab") is None


def test_rebuild_search_index_command_restores_entries(client, demo):
    from glossary.models import SearchEntry

    SearchEntry.objects.all().delete()
    assert first_result(client, "humira") is None
    call_command("rebuild_search_index", verbosity=0)
    assert first_result(client, "humira") == "adalimumab"


def test_full_text_tables_exist_for_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'glossary_search_%'"
            )
            names = {row[0] for row in cursor.fetchall()}
            assert {"glossary_search_trigrams", "glossary_search_words"} <= names
        else:
            cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone() == ("pg_trgm",)


def test_pages_that_read_a_query_report_no_match_in_the_same_words(client):
    # "IFN-y" is always read as IFN-γ; with nothing to find, the pages
    # must not say they searched one thing and found nothing for another.
    glossary = client.get(reverse("glossary:search"), {"q": "IFN-y"}).content.decode()
    assert element(glossary, class_="result-count").text == "0 results for “IFN-γ”"
    site = client.get(reverse("search"), {"q": "IFN-y"}).content.decode()
    article_section = element(site, "section", **{"aria-labelledby": "article-results"})
    term_section = element(site, "section", **{"aria-labelledby": "term-results"})
    assert "“IFN-y”" not in article_section.text + term_section.text
    assert "No article matches “IFN-γ”." in article_section.text
    assert "No glossary term matches “IFN-γ”." in term_section.text


@pytest.mark.parametrize("path", ["/search/", "/glossary/search/"])
def test_a_query_typed_in_quotes_is_not_quoted_twice(client, path):
    html = client.get(path, {"q": "“TNF”"}).content.decode()
    assert text(element(html, "h1")).endswith("for “TNF”")
    assert "““" not in html
    html = client.get(path, {"q": "TNF"}).content.decode()
    assert text(element(html, "h1")).endswith("for “TNF”")
