"""
Glossary links on the realistic corpus in tests/corpus/ (see bench/corpus):
every link lands on a marked mention of its own term, and every term's
first marked mention gets its link.
"""

import pytest

from bench.corpus.run import evaluate, links_in, totals
from glossary.models import Term
from tests.factories import make_article, make_term

GLOSSARY_ROWS, SCORES = evaluate()


def test_corpus_is_a_large_glossary_and_long_articles():
    assert len(GLOSSARY_ROWS) >= 100
    assert len(SCORES) >= 3
    assert all(score.article.words >= 500 for score in SCORES)


@pytest.mark.parametrize("score", SCORES, ids=lambda score: score.article.name)
def test_corpus_article_has_no_link_on_an_ordinary_word_or_wrong_term(score):
    assert [(link.text, link.slug, marked) for link, marked in score.wrong] == []


@pytest.mark.parametrize("score", SCORES, ids=lambda score: score.article.name)
def test_corpus_article_links_the_first_mention_of_every_term(score):
    assert [(m.text, m.occurrence, m.slug) for m in score.missed] == []


def test_corpus_precision_and_recall_are_pinned():
    precision, recall, made, correct, expected = totals(SCORES)
    assert (precision, recall) == (1.0, 1.0)
    assert made == expected == 141


def test_corpus_glossary_passes_the_alias_check_of_the_term_form():
    for row in GLOSSARY_ROWS:
        term = Term(name=row["name"], aliases="\n".join(row["aliases"]))
        term.refuse_everyday_word_aliases()


@pytest.mark.django_db
def test_saved_corpus_article_gets_the_links_the_corpus_run_counts():
    for row in GLOSSARY_ROWS:
        make_term(
            name=row["name"],
            kind=row["kind"],
            aliases="\n".join(row["aliases"]),
            definition=row["definition"],
        )
    score = SCORES[0]
    article = make_article(body=score.article.source)
    assert links_in(article.body_html) == score.links
