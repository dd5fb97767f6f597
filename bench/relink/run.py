"""
The measurements of `python -m bench.relink`, once Django is set up on the
scratch database (see __main__.py).

For each size the site is loaded afresh: a glossary of a few hundred terms,
references, and that many published articles (bench/relink/data.py), all
rendered. Then, for each change in CHANGES:

- request: an editor's change to one term posted through the admin's change
  form (Django's test client, a logged-in superuser, the whole form as the
  browser sends it), timed from the POST to its redirect. The matcher the
  process keeps is dropped first: the web process that takes the editor's
  request has not rendered against the glossary since its last change.
- worker: the relinking task the request enqueued (the database task
  backend, as in production), run here in the same process, as
  `manage.py db_worker` would: the bodies it relinked, its time and
  bodies per second. It is then checked that no affected body was left as
  it was.

Last comes the reference, `manage.py relink` (relink_everything) on the
same site: every body rendered and stored again.
"""

import cProfile
import io
import os
import pstats
import random
import sys
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import glossary.models
from articles.models import Article
from bench.harness import Floors, Stopwatch, Table, load_average, ms, timed
from bench.relink.data import UNLINKED_PHRASE, build_site
from bench.relink.options import REQUEST_FLOOR_MS
from glossary import relinking
from glossary.models import (
    GlossaryVersion,
    PendingRelink,
    PendingRelinkSearch,
    SearchEntry,
    Term,
    linked_body_models,
)
from glossary.tasks import relink_pending
from references.models import Reference
from tests.admin_pages import admin_form, change_url
from tests.factories import sign_in


@dataclass
class Change:
    """An edit an editor makes to one term in its admin form."""

    label: str
    pick: object  # function() returning the term to change
    edit: object  # function(form data) changing the posted fields
    # Text that bodies contain and that must link to the term afterwards.
    linked_text: str = ""


def named(name):
    return lambda: Term.objects.get(name=name)


def most_linked():
    """The term that the most articles link to."""
    return (
        Term.objects.annotate(articles=Count("mentioned_in_articles"))
        .order_by("-articles", "pk")
        .first()
    )


def add_alias(data):
    data["aliases"] = f"{data['aliases']}\n{UNLINKED_PHRASE}".strip()


def rename_tnf(data):
    # Readers know it by this name; the old one stays as an alias because
    # the box "Keep the old name as an alias" stays ticked.
    data["name"] = "Tumour necrosis factor"


def new_definition(data):
    data["definition"] = (
        "The organs, cells and messengers that defend the body against "
        "infection and repair damage."
    )


def remove_alias_it(data):
    # "IT" links the intrathecal injection wherever "IT" is written in
    # capitals, an information technology team included.
    aliases = data["aliases"].splitlines()
    data["aliases"] = "\n".join(alias for alias in aliases if alias.strip() != "IT")


CHANGES = (
    Change(
        f"add alias “{UNLINKED_PHRASE}”",
        named("White blood cell"),
        add_alias,
        UNLINKED_PHRASE,
    ),
    Change("rename, old name kept", named("Tumour necrosis factor alpha"), rename_tnf),
    Change("new definition, most-linked term", most_linked, new_definition),
    Change("remove alias “IT”", named("Intrathecal injection"), remove_alias_it),
)


@dataclass
class Outcome:
    size: int
    change: Change
    term: str
    request_ms: float
    queries: int
    queued_in_request: int
    tasks_enqueued: int
    relinked_in_request: int
    relinked: int
    left: int
    worker_s: float
    stale: int
    slowest_queries: list
    profile: str = ""


def run(options):
    # Hashed static file names would need `collectstatic`; the admin pages
    # are rendered with plain static storage instead.
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # WhiteNoise warns that there is no STATIC_ROOT; no static file is served.
    warnings.filterwarnings("ignore", message="No directory at")
    with override_settings(STORAGES=storages):
        return measure(options)


def measure(options):
    watch = Stopwatch()
    vendor = connection.vendor
    print("Relinking benchmark: one glossary change, then the worker")
    print(
        f"Python {sys.version.split()[0]}, {vendor} "
        f"({connection.settings_dict['NAME']}), seed {options.seed}"
    )
    print(f"Load average at start: {load_average()} ({os.cpu_count()} CPUs)")
    call_command("migrate", verbosity=0)
    print(f"Migrated in {watch.lap():.1f} s")

    outcomes, references = [], []
    for size in options.sizes:
        site = build_site(random.Random(options.seed), size)
        load(site)
        built = watch.lap()
        print(
            f"\n{size:,} articles: {len(site.terms)} terms, "
            f"{sum(len(term.aliases) for term in site.terms)} aliases, "
            f"{len(site.reference_keys)} references, "
            f"{sum(len(a[3].split()) for a in site.articles) / size:,.0f} "
            f"words per article; loaded and rendered in {built:.1f} s"
        )
        client = sign_in(Client(), get_user_model().objects.get(username="editor"))
        warm_up(client)
        for change in CHANGES:
            outcome = make_change(client, size, change, options.profile)
            outcomes.append(outcome)
            print(
                f"  {change.label} ({outcome.term}): request "
                f"{ms(outcome.request_ms)} ms, "
                f"worker relinked {outcome.relinked:,} in {outcome.worker_s:.1f} s"
            )
        count, elapsed = timed(relinking.relink_everything)
        references.append((size, count, elapsed / 1000))
        print(f"  manage.py relink: {count:,} bodies in {elapsed / 1000:.1f} s")
        watch.lap()

    report(outcomes, references)
    floors = Floors()
    for outcome in outcomes:
        name = f"{outcome.size:,} articles, {outcome.change.label}"
        floors.at_most(
            f"request <= {REQUEST_FLOOR_MS:.0f} ms: {name}",
            outcome.request_ms,
            REQUEST_FLOOR_MS,
        )
        floors.check(
            f"relinking task enqueued: {name}",
            f"{outcome.tasks_enqueued}",
            outcome.tasks_enqueued >= 1,
        )
        floors.check(
            f"nothing relinked in the request: {name}",
            f"{outcome.relinked_in_request}",
            outcome.relinked_in_request == 0,
        )
        floors.check(
            f"every affected body relinked: {name}",
            f"{outcome.stale} stale",
            outcome.stale == 0 and outcome.left == 0,
        )
    slow = [o for o in outcomes if o.request_ms > REQUEST_FLOOR_MS or o.profile]
    for outcome in slow:
        explain(outcome)
    print(f"\nTotal benchmark time: {watch.total():.0f} s")
    return floors.exit_status


def load(site):
    """
    Replace whatever the database holds with `site`, every body rendered,
    nothing queued.
    """
    call_command("flush", interactive=False, verbosity=0)
    get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
    Reference.objects.bulk_create(
        Reference(
            key=key,
            kind=Reference.Kind.JOURNAL_ARTICLE,
            authors="Doe J, Roe R",
            title=f"A study of {key}",
            container="J Test Med",
            year=2000 + number % 25,
        )
        for number, key in enumerate(site.reference_keys)
    )
    # Rows are written in bulk, without the signals an editor's save sends;
    # the bodies are rendered once everything is in place.
    terms = Term.objects.bulk_create(
        Term(
            name=term.name,
            slug=term.slug,
            kind=term.kind,
            aliases="\n".join(term.aliases),
            definition=term.definition,
            body=term.body,
        )
        for term in site.terms
    )
    SearchEntry.objects.bulk_create(
        SearchEntry.for_text(term, source, text)
        for term in terms
        for source, text in (
            (SearchEntry.Source.NAME, term.name),
            *((SearchEntry.Source.ALIAS, alias) for alias in term.alias_list),
            (SearchEntry.Source.DEFINITION, term.definition),
        )
    )
    published = timezone.now() - timezone.timedelta(days=30)
    Article.objects.bulk_create(
        (
            Article(
                title=title,
                slug=slug,
                summary=summary,
                body=body,
                status=Article.Status.PUBLISHED,
                published_at=published,
            )
            for title, slug, summary, body in site.articles
        ),
        batch_size=500,
    )
    GlossaryVersion.bump()
    relinking.relink_everything()
    clear_queue()


def clear_queue():
    PendingRelink.objects.all().delete()
    PendingRelinkSearch.objects.all().delete()
    DBTaskResult.objects.all().delete()


def warm_up(client):
    """
    One untimed save of a term's form that relinks nothing (its kind), so
    that the timed requests find templates and URLs loaded, as in a server
    that has been up for a while.
    """
    term = Term.objects.order_by("-pk").first()
    url = change_url(term)
    data = admin_form(client, url)
    data["kind"] = Term.Kind.CELL if term.kind != Term.Kind.CELL else "concept"
    response = client.post(url, data)
    assert response.status_code == 302, response.status_code
    clear_queue()


def make_change(client, size, change, profile):
    term = change.pick()
    name = str(term)
    url = change_url(term)
    data = admin_form(client, url)
    change.edit(data)
    before = GlossaryVersion.current()
    # The web process that takes the request last rendered before the
    # glossary's latest change, so its matcher is rebuilt, as it is here.
    glossary.models._cached_matcher = None
    profiler = cProfile.Profile() if profile else None
    with CaptureQueriesContext(connection) as queries:
        if profiler:
            profiler.enable()
        response, request_ms = timed(client.post, url, data)
        if profiler:
            profiler.disable()
    assert response.status_code == 302, (response.status_code, change.label)
    version = GlossaryVersion.current()
    assert version > before, "the change was not recorded"

    queued = PendingRelink.objects.count()
    tasks = (
        DBTaskResult.objects.ready()
        .filter(task_path=relink_pending.module_path)
        .count()
    )
    relinked_in_request = sum(
        model.objects.filter(linked_version__gte=version).count()
        for model in linked_body_models()
    )

    # The worker would run the enqueued tasks; the first does the work and
    # the others find the queue empty.
    result, worker_ms = timed(relink_pending.call)
    DBTaskResult.objects.all().delete()

    term.refresh_from_db()
    stale = sum(
        model.objects.filter(mentioned_terms=term, linked_version__lt=version).count()
        for model in linked_body_models()
    )
    if change.linked_text:
        stale += sum(
            model.objects.filter(body__icontains=change.linked_text)
            .exclude(mentioned_terms=term)
            .count()
            for model in linked_body_models()
        )
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
    return Outcome(
        size=size,
        change=change,
        term=name,
        request_ms=request_ms,
        queries=len(queries.captured_queries),
        queued_in_request=queued,
        tasks_enqueued=tasks,
        relinked_in_request=relinked_in_request,
        relinked=result["relinked"],
        left=result["left"],
        worker_s=worker_ms / 1000,
        stale=stale,
        slowest_queries=slowest,
        profile=profile_text(profiler) if profiler else "",
    )


def profile_text(profiler):
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def per_second(count, seconds):
    return f"{count / seconds:,.0f}" if seconds else "n/a"


def report(outcomes, references):
    table = Table(
        "One term change: the editor's request, then the worker "
        "(reference: manage.py relink, every body)",
        [
            "articles",
            "change",
            "request ms",
            "queries",
            "queued",
            "relinked",
            "worker s",
            "bodies/s",
            "of full relink",
        ],
        left=(1,),
    )
    full = {size: (count, seconds) for size, count, seconds in references}
    for size in dict.fromkeys(o.size for o in outcomes):
        for outcome in (o for o in outcomes if o.size == size):
            table.add(
                f"{size:,}",
                outcome.change.label,
                ms(outcome.request_ms),
                outcome.queries,
                f"{outcome.queued_in_request:,}",
                f"{outcome.relinked:,}",
                f"{outcome.worker_s:,.2f}",
                per_second(outcome.relinked, outcome.worker_s),
                f"{outcome.worker_s / full[size][1]:.0%}" if size in full else "",
            )
        if size in full:
            count, seconds = full[size]
            table.add(
                f"{size:,}",
                "manage.py relink (reference)",
                "",
                "",
                "",
                f"{count:,}",
                f"{seconds:,.2f}",
                per_second(count, seconds),
                "100%",
            )
    table.print()
    print(
        "queued: bodies the request queued itself, those that link to the term; "
        "relinked: those\nand the bodies the worker found containing a name or "
        "alias the change added."
    )


def explain(outcome):
    print(f"\n{outcome.size:,} articles, {outcome.change.label}: slowest queries")
    for query in outcome.slowest_queries:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:160]}")
    if outcome.profile:
        print(outcome.profile)
