"""
Keeping links true: when a term is added, renamed, given a new alias, given
a new definition or deleted, every body it affects is rendered again.

Changes are collected while a transaction runs (an admin save writes the term,
its aliases and its relations in one) and the affected bodies are rendered
once, in one pass, when it commits.
"""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

# Past this many new names and aliases in one pass, matching each against
# every body costs more than rendering every body.
MAX_TEXT_FILTERS = 50

_pending = {}


def schedule(term_ids=(), texts=()):
    """
    Re-render, after commit, the bodies that link to `term_ids` now and
    those whose source contains any of `texts` (new names and aliases).

    The linking bodies are looked up at once, before a deletion removes the
    mentions that record them.
    """
    from glossary.models import Mention

    key = id(transaction.get_connection())
    pending = _pending.setdefault(
        key, {"articles": set(), "terms": set(), "texts": set()}
    )
    mentions = Mention.objects.filter(term_id__in=list(term_ids))
    for article_id, term_id in mentions.values_list("article_id", "in_term_id"):
        if article_id:
            pending["articles"].add(article_id)
        else:
            pending["terms"].add(term_id)
    pending["texts"].update(text for text in texts if text)
    # Every call registers a callback: a rolled-back transaction drops its
    # callbacks, and a later one must not rely on them. The first callback
    # to run takes everything pending; the others find nothing left. Outside
    # a transaction the callback runs at once, so it is registered last.
    transaction.on_commit(lambda: _run(key))


def _run(key):
    pending = _pending.pop(key, None)
    if pending:
        relink(pending["articles"], pending["terms"], pending["texts"])


def relink(article_ids=(), term_ids=(), texts=()):
    """Render again the given bodies and any whose source contains `texts`."""
    from articles.models import Article
    from glossary.models import Term

    texts = sorted(texts)
    count = 0
    for model, ids in ((Article, article_ids), (Term, term_ids)):
        if len(texts) > MAX_TEXT_FILTERS:
            condition = Q()
        else:
            condition = reduce(
                or_, (Q(body__icontains=text) for text in texts), Q(pk__in=list(ids))
            )
        for obj in model.objects.filter(condition).exclude(body=""):
            obj.relink()
            count += 1
    return count


def relink_everything():
    """Render every article and term body again; returns how many."""
    from articles.models import Article
    from glossary.models import Term

    count = 0
    for model in (Article, Term):
        for obj in model.objects.all():
            obj.relink()
            count += 1
    return count
