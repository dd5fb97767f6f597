"""
Load the synthetic glossary into the configured database and time search.

Imported by `bench.search.run` once Django is set up against the database
under test; see `bench/search/__init__.py` for what is measured and why.
"""

import bisect
import contextlib
import random
import re
import statistics
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client, override_settings

from articles.models import Article
from bench.harness import (
    SKIPPED,
    Floors,
    Stopwatch,
    Table,
    load_average,
    measure,
    median,
    median_p95,
    p95,
    ratio,
)
from bench.search.data import build_glossary, mention_articles
from glossary.models import SearchEntry, Term
from glossary.search import PREFIX_CANDIDATES, compact

KINDS = ("exact", "prefix", "typo", "definition")
SUGGEST_P95_FLOOR_MS = 20.0
SEARCH_P95_FLOOR_MS = 50.0
ICONTAINS_SPEED_UP_FLOOR = 5.0
# Prefix queries (4-5 letters) whose intended term is the first suggestion:
# 10 of 50 when completions went shortest first whatever articles mention,
# 36 of 50 with the most mentioned first (bench/README.md).
PREFIX_FIRST_FLOOR = 0.6
# Published articles and the terms each mentions: mention counts from one
# article to several hundred, most terms in none.
ARTICLES = 5000
MENTIONS_PER_ARTICLE = 12
BATCH_SIZE = 2000
LETTERS = "abcdefghijklmnopqrstuvwxyz"
PUBLISHED_AT = datetime(2024, 1, 1, tzinfo=UTC)

SQLITE_RAW_TRIGRAMS = (
    "SELECT rowid FROM glossary_search_trigrams "
    "WHERE glossary_search_trigrams MATCH ? ORDER BY rank LIMIT 10"
)
SQLITE_RAW_WORDS = (
    "SELECT rowid FROM glossary_search_words "
    "WHERE glossary_search_words MATCH ? ORDER BY rank LIMIT 10"
)
POSTGRES_RAW_TRIGRAMS = (
    "SELECT id FROM glossary_searchentry WHERE compact %% %s "
    "ORDER BY similarity(compact, %s) DESC LIMIT 10"
)
POSTGRES_RAW_WORDS = (
    "SELECT id FROM glossary_searchentry "
    "WHERE to_tsvector('simple', words) @@ plainto_tsquery('simple', %s) LIMIT 10"
)


@dataclass
class Query:
    kind: str
    text: str
    # The name of the term that should come first; None for definition
    # words, which have hundreds of equally good answers.
    expected: str | None
    source: str = ""


@dataclass
class Timings:
    samples: dict = field(default_factory=dict)  # (kind, method) -> [ms]

    def add(self, kind, method, values):
        self.samples.setdefault((kind, method), []).extend(values)

    def get(self, kind, method):
        return self.samples.get((kind, method), [])


def pair(samples):
    return " / ".join(median_p95(samples))


# Loading ---------------------------------------------------------------------


def load(synthetic, mentions):
    """
    Insert terms and their search entries in bulk, in one transaction, then
    published articles (empty bodies) with the mentions `mentions` lists.

    `Term.save()` renders a body, relinks other terms and rewrites the
    search rows one term at a time; none of that is under test here, and
    100,000 saves would take far longer than the whole benchmark. The rows
    written are the ones `Term.save()` would write for an empty body, and
    the mention rows those that saving articles naming the terms would.
    """
    watch = Stopwatch()
    with transaction.atomic():
        terms = Term.objects.bulk_create(
            (
                Term(
                    name=item.name,
                    slug=item.slug,
                    kind=item.kind,
                    definition=item.definition,
                    aliases="\n".join(item.aliases),
                    body="",
                    body_html="",
                )
                for item in synthetic
            ),
            batch_size=BATCH_SIZE,
        )
        term_time = watch.lap()
        entries = []
        for term, item in zip(terms, synthetic, strict=True):
            entries.append(SearchEntry.for_text(term, "name", item.name))
            entries.extend(
                SearchEntry.for_text(term, "alias", alias) for alias in item.aliases
            )
            entries.append(SearchEntry.for_text(term, "definition", item.definition))
        normalise_time = watch.lap()
        with search_indexes_built_after():
            SearchEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
            entry_time = watch.lap()
        index_time = watch.lap()
        articles = Article.objects.bulk_create(
            (
                Article(
                    title=f"Article {number}",
                    slug=f"article-{number}",
                    status=Article.Status.PUBLISHED,
                    published_at=PUBLISHED_AT,
                    updated_at=PUBLISHED_AT,
                )
                for number in range(len(mentions))
            ),
            batch_size=BATCH_SIZE,
        )
        Mention = Article.mentioned_terms.through
        mention_rows = Mention.objects.bulk_create(
            (
                Mention(article_id=article.pk, term_id=terms[index].pk)
                for article, indexes in zip(articles, mentions, strict=True)
                for index in indexes
            ),
            batch_size=BATCH_SIZE,
        )
        mention_time = watch.lap()
    commit_time = watch.lap()
    steps = {
        "terms": (len(terms), term_time),
        "search entries: normalising": (len(entries), normalise_time),
        "search entries: inserting": (len(entries), entry_time),
        "search indexes: building": (None, index_time),
        "articles and mentions": (len(mention_rows), mention_time),
        "commit": (None, commit_time),
    }
    return steps


@contextlib.contextmanager
def search_indexes_built_after():
    """
    Fill the search indexes once, after the bulk insert of the entries,
    rather than row by row as each entry arrives.

    Building an index in one pass is several times faster than updating it
    400,000 times, and the result is the same index. On PostgreSQL the GIN
    indexes are dropped and created again from their own definitions; on
    SQLite the insert trigger is dropped, the FTS5 tables are rebuilt from
    their content table (as `manage.py rebuild_search_index` does) and the
    trigger is created again from its own definition.
    """
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            listed = (
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'glossary_searchentry' "
                "AND indexdef LIKE '%%USING gin%%'"
            )
            kind, tables = "INDEX", []
        else:
            listed = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'glossary_searchentry' "
                "AND sql LIKE '%%AFTER INSERT%%'"
            )
            kind = "TRIGGER"
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql LIKE '%%USING fts5%%' "
                "AND sql LIKE '%%glossary_searchentry%%'"
            )
            tables = [name for (name,) in cursor.fetchall()]
        cursor.execute(listed)
        dropped = cursor.fetchall()  # (name, definition)
        for name, _ in dropped:
            cursor.execute(f'DROP {kind} "{name}"')
    yield
    with connection.cursor() as cursor:
        if postgres:
            # Django's foreign keys are deferred to the commit, and
            # PostgreSQL will not build an index while their checks are
            # pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table in tables:
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        for _, definition in dropped:
            cursor.execute(definition)


def analyse():
    """Gather planner statistics; returns the statement run."""
    # On PostgreSQL, VACUUM too, so that autovacuum does not start on the
    # 700,000 new rows while queries are being timed.
    statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement


def database_version():
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# Queries ---------------------------------------------------------------------


def misspell(rng, word, edits):
    """`word` with `edits` substitutions, deletions or transpositions."""
    letters = list(word)
    for _ in range(edits):
        operation = rng.choice(("substitute", "delete", "transpose"))
        position = rng.randrange(len(letters) - 1)
        if operation == "substitute":
            current = letters[position].lower()
            letters[position] = rng.choice(LETTERS.replace(current, ""))
        elif operation == "delete":
            del letters[position]
        else:
            letters[position], letters[position + 1] = (
                letters[position + 1],
                letters[position],
            )
    return "".join(letters)


def pick_queries(rng, synthetic, content_words, per_kind, mention_counts):
    """
    `per_kind` queries of each kind, taken from the loaded data so that each
    (but definition words) has one right answer.

    Prefix queries are for terms that articles mention, drawn in proportion
    to their mentions: readers type what they have read about.
    """
    owner = {}
    texts = []  # (text, term name, source)
    for item in synthetic:
        texts.append((item.name, item.name, "name"))
        texts.extend((alias, item.name, "alias") for alias in item.aliases)
    for text, name, _ in texts:
        owner[compact(text)] = name
    sorted_compacts = sorted(owner)

    def starts_any(prefix):
        position = bisect.bisect_left(sorted_compacts, prefix)
        return position < len(sorted_compacts) and sorted_compacts[position].startswith(
            prefix
        )

    queries = {kind: [] for kind in KINDS}

    # Exact: a name or alias as it is written, brand names included.
    for text, name, source in rng.sample(texts, per_kind):
        queries["exact"].append(Query("exact", text, name, source))

    # Prefix: the first four or five letters of a name or alias of seven
    # letters or more, as typed into the box before the suggestions appear,
    # for a term that articles mention.
    long_words = [
        (text, name, source)
        for text, name, source in texts
        if text.split()[0].isalpha()
        and len(text.split()[0]) >= 7
        and mention_counts.get(name)
    ]
    weights = [mention_counts[name] for _, name, _ in long_words]
    picked = set()
    while len(picked) < per_kind:
        picked.add(rng.choices(range(len(long_words)), weights=weights)[0])
    for position in sorted(picked):
        text, name, source = long_words[position]
        prefix = text[: rng.choice((4, 5))]
        queries["prefix"].append(Query("prefix", prefix, name, source))

    # Typo: a one-word name of seven letters or more with one or two edits.
    # Two edits only from nine letters up, so that the misspelling still has
    # the seven letters for which the search allows two.
    one_word_names = [
        item.name for item in synthetic if item.name.isalpha() and len(item.name) >= 7
    ]
    while len(queries["typo"]) < per_kind:
        name = rng.choice(one_word_names)
        edits = rng.choice((1, 2)) if len(name) >= 9 else 1
        typo = misspell(rng, name, edits)
        # A misspelling that is itself another name has another right answer.
        if compact(typo) in owner:
            continue
        queries["typo"].append(Query("typo", typo, name, f"name, {edits} edit(s)"))

    # Definition word: a word of definitions that no name or alias begins
    # with, so only the full-text tier can find it.
    counts = Counter(
        word
        for item in synthetic
        for word in set(re.findall(r"\w+", item.definition.lower()))
    )
    usable = [
        word
        for word in content_words
        if counts[word] and word.isalpha() and not starts_any(compact(word))
    ]
    for word in rng.sample(usable, per_kind):
        queries["definition"].append(Query("definition", word, None))
    rows = {
        "definition": [counts[q.text] for q in queries["definition"]],
        "prefix": [
            bisect.bisect_left(sorted_compacts, compact(q.text) + "\U0010ffff")
            - bisect.bisect_left(sorted_compacts, compact(q.text))
            for q in queries["prefix"]
        ],
    }
    return queries, rows


# Timing ----------------------------------------------------------------------


def make_methods(client):
    """The callables timed for each query, by column name."""
    raw = connection.connection
    is_sqlite = connection.vendor == "sqlite"

    def view(path):
        def get(query):
            response = client.get(path, {"q": query.text})
            assert response.status_code == 200, response.status_code
            return response

        return get

    def raw_arguments(query):
        """The raw statement and its parameters, or None when it cannot run."""
        if query.kind == "definition":
            if is_sqlite:
                return SQLITE_RAW_WORDS, [f'"{query.text}"']
            return POSTGRES_RAW_WORDS, [query.text]
        key = compact(query.text)
        if is_sqlite:
            # The trigram tokenizer cannot match fewer than three characters.
            return (SQLITE_RAW_TRIGRAMS, [f'"{key}"']) if len(key) >= 3 else None
        return POSTGRES_RAW_TRIGRAMS, [key, key]

    prepared = {}

    def raw_query(query):
        if query.text not in prepared:
            prepared[query.text] = raw_arguments(query)
        arguments = prepared[query.text]
        if arguments is None:
            return SKIPPED
        sql, parameters = arguments
        cursor = raw.cursor()
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
        cursor.close()
        return rows

    def icontains(query):
        # The aliases through a subquery: a join with every search entry
        # (definitions too) would make the scan several times slower than
        # the one over names and aliases alone that it stands for.
        aliases = SearchEntry.objects.filter(
            source=SearchEntry.Source.ALIAS, text__icontains=query.text
        )
        return list(
            Term.objects.filter(
                Q(name__icontains=query.text) | Q(pk__in=aliases.values("term_id"))
            ).distinct()[:10]
        )

    return {
        "suggest": view("/glossary/suggest/"),
        "search": view("/glossary/search/"),
        "raw": raw_query,
        "icontains": icontains,
    }


def check_suggestions(suggestions, queries):
    """
    From the suggestions of the warm-up pass. For name queries: how often
    the expected term comes first and how often it is among the ten. For
    definition words: how often all ten are terms whose definition has the
    word.
    """
    report = {}
    for kind, kind_queries in queries.items():
        first = top_ten = 0
        misses = []
        for query in kind_queries:
            results = suggestions[query.text]
            names = [result["name"] for result in results]
            if query.expected is None:
                without = [
                    result
                    for result in results
                    if query.text not in result["definition"].lower()
                ]
                good = len(results) == 10 and not without
                first += good
                top_ten += good
                if not good:
                    shown = [f"{r['name']} (matched {r['matched']!r})" for r in without]
                    misses.append((query, [f"{len(results)} results", *shown[:2]]))
                continue
            if names[:1] == [query.expected]:
                first += 1
            else:
                misses.append((query, names[:3]))
            top_ten += query.expected in names
        report[kind] = (first, top_ten, len(kind_queries), misses)
    return report


# Report ----------------------------------------------------------------------


def print_results(timings, queries, vendor):
    raw_name = "raw FTS5" if vendor == "sqlite" else "raw SQL"
    table = Table(
        "Milliseconds per query, p50 / p95",
        [
            "kind",
            "queries",
            "suggest",
            "search",
            raw_name,
            "icontains",
            "icontains / suggest, search",
            "suggest / raw",
        ],
    )
    for kind in KINDS:
        suggest, search = timings.get(kind, "suggest"), timings.get(kind, "search")
        raw, icontains = timings.get(kind, "raw"), timings.get(kind, "icontains")
        table.add(
            kind,
            len(queries[kind]),
            pair(suggest),
            pair(search),
            pair(raw),
            pair(icontains),
            f"{ratio(median(icontains), median(suggest))} / "
            f"{ratio(median(icontains), median(search))}",
            ratio(median(suggest), median(raw)),
        )
    table.print()


def check_floors(timings, report):
    """
    PASS/FAIL lines for the floors; the misses are keyed (kind, view).
    `report` is check_suggestions' correctness report.
    """
    floors = Floors()
    for view, floor in (
        ("suggest", SUGGEST_P95_FLOOR_MS),
        ("search", SEARCH_P95_FLOOR_MS),
    ):
        for kind in KINDS:
            floors.at_most(
                f"{view} p95 <= {floor:.0f} ms, {kind}",
                p95(timings.get(kind, view)),
                floor,
                key=(kind, view),
            )
    for view in ("suggest", "search"):
        for kind in KINDS:
            baseline = median(timings.get(kind, "icontains"))
            floors.at_least(
                f"{view} >= {ICONTAINS_SPEED_UP_FLOOR:.0f}x faster than icontains, "
                f"{kind}",
                baseline / median(timings.get(kind, view)),
                ICONTAINS_SPEED_UP_FLOOR,
                key=(kind, view),
            )
    first, _, total, _ = report["prefix"]
    floors.check(
        f"prefix: expected term first >= {PREFIX_FIRST_FLOOR:.0%}",
        f"{first}/{total}",
        bool(total) and first / total >= PREFIX_FIRST_FLOOR,
        key=("prefix", "suggest"),
    )
    return floors


def print_correctness(report):
    print("\nSuggestions (correctness)")
    for kind in KINDS:
        first, top_ten, total, misses = report[kind]
        if kind == "definition":
            print(
                f"  {kind:<11} {first}/{total} queries gave ten terms whose "
                "definition has the word"
            )
            for query, details in misses[:3]:
                print(f"      e.g. {query.text!r} -> {details}")
            continue
        print(
            f"  {kind:<11} expected term first: {first}/{total}, "
            f"in the ten: {top_ten}/{total}"
        )
        for query, names in misses[:3]:
            print(
                f"      e.g. {query.text!r} ({query.source} of {query.expected!r}) "
                f"-> {names}"
            )


def profile_failures(queries, failing, methods):
    """Where a failing view spends its time, over that kind's queries."""
    import cProfile
    import pstats

    for kind, view in dict.fromkeys(failing):
        if view not in ("suggest", "search"):
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        for query in queries[kind]:
            methods[view](query)
        profiler.disable()
        print(f"\nProfile: {view}, {kind} ({len(queries[kind])} queries)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


# Main ------------------------------------------------------------------------


def run(options):
    vendor = connection.vendor
    print(f"\n=== {vendor} ===")
    print(f"{options.terms:,} terms, {options.aliases:,} aliases, seed {options.seed}")
    watch = Stopwatch()
    call_command("migrate", verbosity=0)
    print(f"{database_version()}; migrated in {watch.lap():.1f} s")

    rng = random.Random(options.seed)
    synthetic, content_words = build_glossary(rng, options.terms, options.aliases)
    print(
        f"Generated {len(synthetic):,} terms and "
        f"{sum(len(item.aliases) for item in synthetic):,} aliases "
        f"in {watch.lap():.1f} s"
    )
    mentions = mention_articles(rng, len(synthetic), ARTICLES, MENTIONS_PER_ARTICLE)
    mention_counts = Counter(
        synthetic[index].name for indexes in mentions for index in indexes
    )
    steps = load(synthetic, mentions)
    for step, (count, seconds) in steps.items():
        count_text = f"{count:>9,} rows" if count is not None else ""
        print(f"  {step:<30} {count_text:>14}  {seconds:6.1f} s")
    print(f"Loaded in {watch.lap():.1f} s")
    statement = analyse()
    print(f"{statement} in {watch.lap():.1f} s")
    queries, rows = pick_queries(
        rng, synthetic, content_words, options.queries, mention_counts
    )
    print(
        f"{options.queries} queries per kind. Each definition word is in "
        f"{min(rows['definition'])}-{max(rows['definition'])} definitions "
        f"(median {statistics.median(rows['definition']):.0f}); each prefix "
        f"begins {min(rows['prefix'])}-{max(rows['prefix'])} names and aliases "
        f"(median {statistics.median(rows['prefix']):.0f}; "
        f"{sum(count > PREFIX_CANDIDATES for count in rows['prefix'])} prefixes "
        f"begin more than the {PREFIX_CANDIDATES} that search reads)"
    )

    # Compressed, hashed static file names need `collectstatic`; the pages
    # only need a URL for each file, so plain storage is used.
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # WhiteNoise warns that there is no STATIC_ROOT; no static file is served.
    warnings.filterwarnings("ignore", message="No directory at")
    with override_settings(STORAGES=storages):
        client = Client(HTTP_HOST="localhost")
        methods = make_methods(client)
        # One untimed pass: the first call of a view compiles its templates
        # and the first query of an index reads its pages from disk.
        suggestions = {}
        for kind_queries in queries.values():
            for query in kind_queries:
                response = methods["suggest"](query)
                suggestions[query.text] = response.json()["results"]
                methods["search"](query)
                methods["raw"](query)
        # icontains scans the same tables whatever the query; one scan per
        # kind is enough to bring them into the cache.
        for kind_queries in queries.values():
            methods["icontains"](kind_queries[0])
        print(f"Warmed up in {watch.lap():.1f} s")

        timings = Timings()
        for kind in KINDS:
            for name in ("suggest", "search", "raw"):
                timings.add(
                    kind,
                    name,
                    measure(methods[name], queries[kind], runs=options.rounds),
                )
        raw_skipped = {
            kind: sum(1 for q in queries[kind] if len(compact(q.text)) < 3)
            for kind in KINDS
        }
        print(f"Timed the views and raw queries in {watch.lap():.1f} s")
        for kind in KINDS:
            timings.add(
                kind,
                "icontains",
                measure(
                    methods["icontains"],
                    queries[kind][: options.icontains_queries],
                    runs=options.icontains_rounds,
                ),
            )
        print(f"Timed icontains in {watch.lap():.1f} s")

        print_results(timings, queries, vendor)
        if vendor == "sqlite" and any(raw_skipped.values()):
            skipped = ", ".join(
                f"{kind} {count}" for kind, count in raw_skipped.items() if count
            )
            print(f"raw FTS5 leaves out queries under 3 characters: {skipped}")
        print(
            f"Samples per cell: {options.rounds} per query for the views and raw; "
            f"{options.icontains_rounds} per query for icontains, over the first "
            f"{options.icontains_queries} queries of each kind. Load average: "
            + load_average()
        )
        report = check_suggestions(suggestions, queries)
        floors = check_floors(timings, report)
        print_correctness(report)
        if floors.failures and options.profile:
            profile_failures(queries, floors.failures, methods)
        elif floors.failures:
            print("\nRun with --profile to see where the failing views spend time.")
    print(f"\n{vendor} done in {options.watch.total():.0f} s")
    return floors.exit_status
