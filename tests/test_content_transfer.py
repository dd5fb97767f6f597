import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from taggit.models import Tag

from articles.models import Article, ArticleReference, Reviewer
from glossary.models import PendingRelink, PendingRelinkSearch, Term, TermRelation
from images.models import Image
from portal.models import Page
from portal.transfer.articles import ArticleKind
from portal.transfer.fields import Text
from portal.transfer.files import (
    compose,
    dump_yaml,
    split_front_matter,
    with_front_matter,
)
from references.models import Reference
from tests.factories import (
    image_bytes,
    image_upload,
    make_article,
    make_image,
    make_reference,
    make_term,
)
from tests.html import element, hrefs, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

CONTENT_MODELS = [
    Article,
    ArticleReference,
    Reference,
    Term,
    TermRelation,
    Tag,
    Image,
    Page,
    Reviewer,
]


def export(directory):
    call_command("export_content", str(directory), verbosity=0)
    return directory


def import_content(directory, capsys=None):
    call_command("import_content", str(directory))
    if capsys is not None:
        return capsys.readouterr().out


def files_of(directory):
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(Path(directory).rglob("*"))
        if path.is_file()
    }


def stored_files(media_root):
    """What MEDIA_ROOT holds, by path."""
    return files_of(media_root) if Path(media_root).exists() else {}


def add_images():
    """An image with messy texts and a decorative one, their sizes made."""
    make_image(
        title="No",
        slug="il-6-chart",
        alt_text="Bar chart: IL-6 levels halve within four weeks’ treatment.",
        caption="IL-6 in patients’ blood.\nSecond line: “quoted”, null, 12.",
        credit="Chart: Dr. O’Brien, CC BY 4.0",
        file=image_upload("chart.png", image_bytes("PNG", (600, 400))),
    )
    make_image(
        title="Ornament",
        slug="ornament",
        alt_text="",
        is_decorative=True,
        caption="",
        credit="",
        file=image_upload("x.jpg", image_bytes("JPEG", (500, 300)), "image/jpeg"),
    )


def add_messy_content():
    """Content as editors leave it, beside the demo's."""
    add_images()
    greek = make_reference(
        key="Greek-2024",
        kind=Reference.Kind.WEB_PAGE,
        authors="",
        title="TNF-α: what it does — “yes”, ‘no’ and null",
        container="null",
        edition="12",
        volume="12",
        url="https://example.org/a:b?c=d#e",
        accessed_on=datetime.date(2024, 1, 5),
        year=2024,
        month=1,
        day=5,
    )
    make_reference(
        key="yes",
        kind=Reference.Kind.BOOK,
        authors="- Dash A, Colon B: eds",
        title="No",
        container="",
        year=None,
    )
    receptor = make_term(
        name="TNF-α receptor",
        slug="tnf-alpha-receptor",
        kind=Term.Kind.CONCEPT,
        aliases="TNFR\nTNF-α’s receptor",
        definition="A protein on cells’ surfaces: TNF-α binds it.\nA second line.",
        body="Binds [[TNF-alpha]] [@Greek-2024].\r\nA line ending in CRLF.\r\n",
    )
    receptor.tags.set(["tags with spaces", "Greek α"])
    TermRelation.objects.create(
        source=receptor,
        kind=TermRelation.Kind.RELATED_TO,
        target=Term.objects.get(slug="tnf-alpha"),
    )
    no = make_article(
        title="No",
        slug="no",
        summary=(
            "A long summary that goes on well past any line width a YAML "
            "writer would fold at: cytokines’ messages, TNF-α, “quotes”, "
            "yes, no, null, 12, - a dash, and # a hash, all kept as typed."
        ),
        body="TNF-α receptors, cited [@mcinnes-2007].\n\n![](image:IL-6-Chart)\n",
        author="Dr. O’Brien",
        references=[greek],
        tags=["tags with spaces", "immune system"],
    )
    # Saving listed the cited reference at position 1, which the factory
    # gave to another too; references sharing a position keep their order.
    for reference in Reference.objects.filter(key__in=["yes", "biobasics-2006"]):
        ArticleReference.objects.create(article=no, reference=reference, position=7)
    make_article(
        title="Scheduled: TNF-α blockers",
        slug="scheduled",
        summary="",
        body="",
        published_at=timezone.now() + datetime.timedelta(days=30),
    )
    make_article(
        title="null",
        slug="draft",
        summary="12",
        status=Article.Status.DRAFT,
        published_at=None,
        body="![](image:ornament)\n\nSome text.",
        last_reviewed_on=datetime.date(2025, 2, 28),
        medical_reviewer=Reviewer.objects.create(
            name="yes", credentials="MD: rheumatology"
        ),
    )
    Page.objects.create(
        title="No",
        slug="what-we-don-t-cover",
        body="We don’t cover TNF-α dosing: ask your rheumatologist.\n",
        show_in_footer=False,
        footer_order=7,
    )


def pages(client):
    """Every article and term page, as staff see them (drafts too)."""
    paths = [
        *(
            f"/articles/{slug}/"
            for slug in Article.objects.values_list("slug", flat=True)
        ),
        *(f"/glossary/{slug}/" for slug in Term.objects.values_list("slug", flat=True)),
    ]
    return {
        path: with_rendition_names_hidden(client.get(path).content.decode())
        for path in sorted(paths)
    }


def with_rendition_names_hidden(page):
    """
    The page with the random part of each rendition's name hidden: an
    image imported into another MEDIA_ROOT has its original, and so its
    sizes, stored under new names.
    """
    return re.sub(r"(images/renditions/)[0-9a-f]{32}-", r"\1…-", page)


def empty_the_site():
    Article.objects.all().delete()
    Term.objects.all().delete()
    Reference.objects.all().delete()
    Tag.objects.all().delete()
    Image.objects.all().delete()
    PendingRelink.objects.all().delete()
    PendingRelinkSearch.objects.all().delete()


def row_counts():
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS}


def test_round_trip_gives_identical_files_and_pages(
    demo, staff_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    add_messy_content()
    before = pages(staff_client)
    first = files_of(export(tmp_path / "first"))
    empty_the_site()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    # The sizes are made, and the pages showing them rendered again, by the
    # background tasks the import's commit starts.
    with django_capture_on_commit_callbacks(execute=True):
        import_content(tmp_path / "first")
    second = files_of(export(tmp_path / "second"))
    assert second == first
    assert pages(staff_client) == before
    assert len(before) == Article.objects.count() + Term.objects.count() == 28
    # The figure is there, its sizes made from the original imported into
    # the new MEDIA_ROOT.
    page = staff_client.get("/articles/no/").content.decode()
    img = element(element(page, "figure"), "img")
    assert (
        img.attrs["alt"] == "Bar chart: IL-6 levels halve within four weeks’ treatment."
    )
    assert staff_client.get(img.attrs["src"]).status_code == 200
    originals = {
        content
        for path, content in stored_files(settings.MEDIA_ROOT).items()
        if path.startswith("images/originals/")
    }
    assert originals == {first["images/il-6-chart.png"], first["images/ornament.jpg"]}


def test_round_trip_into_a_fresh_database_gives_identical_files(demo, tmp_path):
    add_messy_content()
    first = export(tmp_path / "first")
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "fresh-media"),
    }

    def manage(*arguments):
        subprocess.run(
            [sys.executable, "manage.py", *arguments, "--verbosity=0"],
            cwd=settings.BASE_DIR,
            env=environment,
            check=True,
        )

    manage("migrate")
    manage("import_content", str(first))
    manage("export_content", str(tmp_path / "second"))
    assert files_of(tmp_path / "second") == files_of(first)
    assert len(stored_files(tmp_path / "fresh-media")) == 2


def test_export_writes_readable_front_matter(demo, tmp_path):
    add_messy_content()
    files = files_of(export(tmp_path / "content"))
    assert files["manifest.yaml"] == b"format: portal-content\nversion: 1\n"
    article = files["articles/no.md"].decode()
    front_matter, body = article.removeprefix("---\n").split("---\n", 1)
    assert front_matter.splitlines()[:4] == [
        "title: 'No'",
        "slug: 'no'",
        "summary: 'A long summary that goes on well past any line width a YAML "
        "writer would fold at: cytokines’ messages, TNF-α, “quotes”, yes, no, "
        "null, 12, - a dash, and # a hash, all kept as typed.'",
        "status: published",
    ]
    assert "last_reviewed_on: null\n" in front_matter
    assert "tags:\n- immune system\n- tags with spaces\n" in front_matter
    assert front_matter.endswith(
        "references:\n"
        "- key: mcinnes-2007\n  position: 1\n"
        "- key: Greek-2024\n  position: 1\n"
        "- key: biobasics-2006\n  position: 7\n"
        "- key: 'yes'\n  position: 7\n"
    )
    assert body == "TNF-α receptors, cited [@mcinnes-2007].\n\n![](image:IL-6-Chart)\n"
    term = files["glossary/tnf-alpha-receptor.md"].decode()
    assert (
        "definition: |-\n  A protein on cells’ surfaces: TNF-α binds it.\n"
        "  A second line.\n"
        "relations:\n- relation: related-to\n  term: tnf-alpha\n"
    ) in term
    assert term.endswith(
        "---\nBinds [[TNF-alpha]] [@Greek-2024].\r\nA line ending in CRLF.\r\n"
    )
    reference = files["references/Greek-2024.yaml"].decode()
    assert "container: 'null'\n" in reference
    assert "edition: '12'\n" in reference
    assert "accessed_on: 2024-01-05\n" in reference
    picture = files["images/il-6-chart.png"]
    assert files["images/il-6-chart.yaml"].decode() == (
        "title: 'No'\n"
        "slug: il-6-chart\n"
        "alt_text: 'Bar chart: IL-6 levels halve within four weeks’ treatment.'\n"
        "is_decorative: false\n"
        "caption: |-\n"
        "  IL-6 in patients’ blood.\n"
        "  Second line: “quoted”, null, 12.\n"
        "credit: 'Chart: Dr. O’Brien, CC BY 4.0'\n"
        "file: il-6-chart.png\n"
        f"sha256: {hashlib.sha256(picture).hexdigest()}\n"
    )
    # The original exactly as uploaded; the sizes served are not exported.
    image = Image.objects.get(slug="il-6-chart")
    assert picture == image.file.read()
    assert [path for path in files if path.startswith("images/")] == [
        "images/il-6-chart.png",
        "images/il-6-chart.yaml",
        "images/ornament.jpg",
        "images/ornament.yaml",
    ]


def test_import_twice_changes_nothing_the_second_time(
    demo, tmp_path, capsys, media_root
):
    add_messy_content()
    content = export(tmp_path / "content")
    empty_the_site()
    import_content(content, capsys)
    rows = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in CONTENT_MODELS
    }
    media = stored_files(media_root)
    output = import_content(content, capsys)
    assert output.splitlines()[:6] == [
        "Images: 0 created, 0 updated, 2 unchanged",
        "References: 0 created, 0 updated, 5 unchanged",
        "Terms: 0 created, 0 updated, 22 unchanged",
        "Articles: 0 created, 0 updated, 6 unchanged",
        "Pages: 0 created, 0 updated, 6 unchanged",
        "Relinked 0 pages.",
    ]
    assert {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in CONTENT_MODELS
    } == rows
    assert stored_files(media_root) == media


def replace_in(path, old, new):
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")


def test_import_updates_an_existing_site(demo, tmp_path, client, capsys):
    export(tmp_path)
    article = tmp_path / "articles" / "what-are-cytokines.md"
    replace_in(article, "title: What are cytokines?", "title: Cytokines, explained")
    replace_in(article, "- key: biobasics-2006\n", "- key: NEW-2025\n")
    (tmp_path / "references" / "new-2025.yaml").write_text(
        "key: new-2025\nkind: web\ntitle: A new page\nurl: https://example.org/\n",
        encoding="utf-8",
    )
    adalimumab = tmp_path / "glossary" / "adalimumab.md"
    replace_in(adalimumab, "- relation: inhibits\n  term: tnf-alpha\n", "")
    replace_in(adalimumab, "definition: 'A TNF blocker", "definition: 'A blocker")
    counts = row_counts()
    output = import_content(tmp_path, capsys)
    assert output.splitlines()[:4] == [
        "Images: 0 created, 0 updated, 0 unchanged",
        "References: 1 created, 0 updated, 3 unchanged",
        "Terms: 0 created, 1 updated, 20 unchanged",
        "Articles: 0 created, 1 updated, 2 unchanged",
    ]
    assert row_counts() == {
        **counts,
        "Reference": counts["Reference"] + 1,
        "ArticleReference": counts["ArticleReference"] + 1,
        "TermRelation": counts["TermRelation"] - 1,
    }
    page = client.get("/articles/what-are-cytokines/").content.decode()
    assert text(element(page, "h1")) == "Cytokines, explained"
    assert "https://example.org/" in hrefs(
        element(page, "section", class_="references")
    )
    # The body still cites the page it no longer lists, which comes back at
    # the end of the list, as saving it in the admin would do.
    listed = Article.objects.get(slug="what-are-cytokines").ordered_references()
    assert [reference.key for reference in listed] == [
        "mcinnes-2007",
        "new-2025",
        "primer-12-cytokines",
        "biobasics-2006",
    ]
    term_page = client.get("/glossary/adalimumab/").content.decode()
    assert "A blocker (brand name Humira)" in term_page
    assert "inhibits" not in text(element(term_page, "main"))


def test_hand_written_plain_values_are_read_as_typed(db, tmp_path, client):
    (tmp_path / "articles").mkdir()
    (tmp_path / "manifest.yaml").write_text("format: portal-content\nversion: 1\n")
    (tmp_path / "articles" / "no.md").write_text(
        "---\ntitle: No\nslug: no\nsummary: 12\nstatus: published\n"
        "published_at: 2026-01-02 10:00:00+01:00\nupdated_at: 2026-01-02T09:00:00Z\n"
        "author:\ntags: [yes, null-ish, TNF-α]\n---\nHello.\n",
        encoding="utf-8",
    )
    import_content(tmp_path)
    article = Article.objects.get(slug="no")
    assert (article.title, article.summary, article.author) == ("No", "12", "")
    assert article.published_at == datetime.datetime(2026, 1, 2, 9, tzinfo=datetime.UTC)
    assert set(article.tags.names()) == {"null-ish", "TNF-α", "yes"}
    page = client.get("/articles/no/").content.decode()
    assert text(element(page, "h1")) == "No"


def problems_of(refusal):
    """The problem lines of a refused import, after its summary line."""
    return str(refusal.value).splitlines()[1:]


def break_file(tmp_path, path, old, new):
    replace_in(tmp_path / path, old, new)


def write_file(tmp_path, path, text):
    (tmp_path / path).write_text(text, encoding="utf-8")


def move_term(tmp_path, path, slug):
    """Give the term of `path` another slug, and its file with it."""
    moved = tmp_path / "glossary" / f"{slug}.md"
    (tmp_path / path).rename(moved)
    replace_in(moved, f"slug: {Path(path).stem}", f"slug: {slug}")


def line_number(tmp_path, path, fragment):
    """The line of `path` on which `fragment` begins."""
    source = (tmp_path / path).read_text(encoding="utf-8")
    return source[: source.index(fragment)].count("\n") + 1


ARTICLE = "articles/what-are-cytokines.md"
ADALIMUMAB = "glossary/adalimumab.md"
MCINNES = "references/mcinnes-2007.yaml"

BAD_FILES = {
    "missing title": (
        lambda d: write_file(
            d,
            "articles/untitled.md",
            "---\nslug: untitled\nstatus: draft\nupdated_at: 2026-01-01T00:00:00Z\n"
            "---\nBody.\n",
        ),
        "articles/untitled.md",
        "slug: untitled",
        "title is missing; every file needs one.",
    ),
    "unknown reference key": (
        lambda d: break_file(d, ARTICLE, "- key: biobasics-2006", "- key: nobody-1999"),
        ARTICLE,
        "- key: nobody-1999",
        "references: no reference has the key “nobody-1999”, on the site or in "
        "the export.",
    ),
    "unknown related term": (
        lambda d: break_file(d, ADALIMUMAB, "  term: tnf-alpha", "  term: tnf-beta"),
        ADALIMUMAB,
        "  term: tnf-beta",
        "relations: no term has the slug “tnf-beta”, on the site or in the export.",
    ),
    "invalid YAML": (
        lambda d: break_file(d, MCINNES, "title: Cytokines", "title: x\n  bad: y\n#"),
        MCINNES,
        "  bad: y",
        "invalid YAML: mapping values are not allowed here.",
    ),
    "bad date": (
        lambda d: break_file(
            d, ARTICLE, "updated_at: 2026-11-20T09:00:00Z", "updated_at: 2026-11-31"
        ),
        ARTICLE,
        "updated_at:",
        "updated_at: “2026-11-31” is not a date and time; write it as "
        "2026-11-02T09:00:00Z (UTC) or with an offset, +01:00.",
    ),
    "duplicate slug": (
        lambda d: write_file(
            d,
            "glossary/zz-copy.md",
            (d / ADALIMUMAB).read_text().replace("name: Adalimumab", "name: Copy"),
        ),
        "glossary/zz-copy.md",
        "slug: adalimumab",
        "slug “adalimumab” is also claimed by glossary/adalimumab.md.",
    ),
    "reference key repeated in other capitals": (
        lambda d: write_file(
            d,
            "references/McInnes-2007.yaml",
            (d / MCINNES).read_text().replace("key: mcinnes", "key: McInnes"),
        ),
        MCINNES,
        "key: mcinnes-2007",
        "key “mcinnes-2007” is also claimed by references/McInnes-2007.yaml.",
    ),
    "unknown status": (
        lambda d: break_file(d, ARTICLE, "status: published", "status: publised"),
        ARTICLE,
        "status:",
        "status: unknown value “publised”; use one of draft, in_review, "
        "published, archived.",
    ),
    "unknown kind": (
        lambda d: break_file(d, ADALIMUMAB, "kind: drug", "kind: medicine"),
        ADALIMUMAB,
        "kind: medicine",
        "kind: unknown value “medicine”; use one of cytokine, cytokine-family, "
        "drug, drug-class, disease, cell, concept.",
    ),
    "list where text is expected": (
        lambda d: break_file(
            d,
            MCINNES,
            "authors: McInnes IB, Schett G",
            "authors:\n- McInnes IB\n- Schett G",
        ),
        MCINNES,
        "- McInnes IB",
        "authors: expected text, found a list.",
    ),
    "unknown relation": (
        lambda d: break_file(d, ADALIMUMAB, "relation: inhibits", "relation: blocks"),
        ADALIMUMAB,
        "relation: blocks",
        "relation: unknown value “blocks”; use one of inhibits, kind-of, treats, "
        "related-to.",
    ),
    "field given twice": (
        lambda d: break_file(d, MCINNES, "year: 2007", "year: 2007\nyear: 2008"),
        MCINNES,
        "year: 2008",
        "year is given twice (first at line 8).",
    ),
    "day not in the month": (
        lambda d: break_file(d, MCINNES, "day: null", "day: 31"),
        MCINNES,
        "day: 31",
        "day: There is no day 31 in June 2007: it has 30 days.",
    ),
    "name of a term the import leaves": (
        lambda d: move_term(d, ADALIMUMAB, "humira"),
        "glossary/humira.md",
        "name: Adalimumab",
        "name “Adalimumab” is already the name of the term with the slug "
        "“adalimumab” on the site.",
    ),
    "published without a date": (
        lambda d: break_file(
            d, ARTICLE, "published_at: 2026-11-02T09:00:00Z", "published_at:"
        ),
        ARTICLE,
        "published_at:",
        "published_at: a published article needs the date and time it was "
        "published, such as 2026-11-02T09:00:00Z.",
    ),
    "not a Markdown file": (
        lambda d: write_file(d, "articles/notes.txt", "To do.\n"),
        "articles/notes.txt",
        "To do.",
        "not a .md file; articles/ holds one .md file per article.",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_import_refuses_bad_file_at_its_line_and_writes_nothing(demo, tmp_path, case):
    spoil, path, fragment, message = BAD_FILES[case]
    export(tmp_path)
    # A good change beside the bad one, which must not be written either.
    break_file(tmp_path, ARTICLE, "title: What are cytokines?", "title: Changed")
    spoil(tmp_path)
    counts = row_counts()
    with pytest.raises(CommandError) as refusal:
        call_command("import_content", str(tmp_path))
    line = line_number(tmp_path, path, fragment)
    assert problems_of(refusal) == [f"{tmp_path / path}:{line}: {message}"]
    assert str(refusal.value).startswith("Nothing was imported: 1 problem in 1 file.")
    assert row_counts() == counts
    assert Article.objects.get(slug="what-are-cytokines").title == "What are cytokines?"


def test_import_lists_every_problem_of_every_file(demo, tmp_path):
    export(tmp_path)
    break_file(tmp_path, ARTICLE, "status: published", "status: publised")
    break_file(tmp_path, ARTICLE, "title: What are cytokines?", "title: [a, b]")
    break_file(tmp_path, MCINNES, "kind: journal", "kind: journl")
    with pytest.raises(CommandError) as refusal:
        call_command("import_content", str(tmp_path))
    assert str(refusal.value).startswith("Nothing was imported: 3 problems in 2 files.")
    assert [line.split(": ", 1)[1] for line in problems_of(refusal)] == [
        "title: expected text, found a list.",
        "status: unknown value “publised”; use one of draft, in_review, "
        "published, archived.",
        "kind: unknown value “journl”; use one of journal, book, chapter, web.",
    ]


def test_import_refuses_a_directory_that_is_no_export(db, tmp_path):
    with pytest.raises(CommandError) as refusal:
        call_command("import_content", str(tmp_path))
    assert problems_of(refusal) == [
        f"{tmp_path / 'manifest.yaml'}:1: missing: this is not a content export."
    ]


def test_export_refuses_a_directory_holding_other_files(db, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty and holds no earlier export"):
        call_command("export_content", str(tmp_path))
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_export_into_an_earlier_export_drops_files_of_deleted_rows(demo, tmp_path):
    add_messy_content()
    content = export(tmp_path / "content")
    Article.objects.get(slug="draft").delete()
    Image.objects.get(slug="ornament").delete()
    export(content)
    assert not (content / "articles" / "draft.md").exists()
    assert (content / "articles" / "no.md").exists()
    assert sorted(path.name for path in (content / "images").iterdir()) == [
        "il-6-chart.png",
        "il-6-chart.yaml",
    ]


def test_import_command_fails_with_the_problem_on_stderr(tmp_path):
    shutil.copytree(
        Path(__file__).parent / "data" / "transfer-bad-yaml", tmp_path / "x"
    )
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(tmp_path / "x")],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"},
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert f"{tmp_path / 'x' / 'references' / 'broken.yaml'}:3: invalid YAML" in (
        finished.stderr
    )


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
def test_any_text_survives_the_yaml_as_typed(typed):
    mapping = compose(dump_yaml({"value": typed}), 1)
    assert Text("value").read(mapping.nodes["value"], 1, None) == typed


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_any_body_survives_the_front_matter_as_typed(body):
    assert split_front_matter(with_front_matter({"title": "T"}, body)).body == body


# Images

CHART = "images/il-6-chart.yaml"
CHART_PICTURE = "images/il-6-chart.png"


@pytest.fixture
def image_export(db, tmp_path, media_root):
    """Two images, an article showing one, and their export."""
    add_images()
    make_article(slug="chart", body="![](image:il-6-chart)\n")
    return export(tmp_path / "content")


def replace_picture(directory, content):
    """Give the chart another picture, with the checksum that matches it."""
    old = hashlib.sha256((directory / CHART_PICTURE).read_bytes()).hexdigest()
    (directory / CHART_PICTURE).write_bytes(content)
    new = hashlib.sha256(content).hexdigest()
    break_file(directory, CHART, f"sha256: {old}", f"sha256: {new}")


def with_settings(**values):
    def spoil(directory, settings):
        for name, value in values.items():
            setattr(settings, name, value)

    return spoil


BAD_IMAGES = {
    "no alt text and not decorative": (
        lambda d, s: break_file(d, CHART, "alt_text: 'Bar", "alt_text: ''\n#"),
        CHART,
        "alt_text: ''",
        "alt_text: Describe what the image shows for readers who cannot see it, "
        "or tick Decorative if it adds nothing they need.",
    ),
    "decorative with alt text": (
        lambda d, s: break_file(d, CHART, "is_decorative: false", "is_decorative: yes"),
        CHART,
        "alt_text:",
        "alt_text: A decorative image is shown without alt text.",
    ),
    "decorative neither true nor false": (
        lambda d, s: break_file(
            d, CHART, "is_decorative: false", "is_decorative: maybe"
        ),
        CHART,
        "is_decorative:",
        "is_decorative: expected true or false, found “maybe”.",
    ),
    "caption longer than the admin allows": (
        lambda d, s: break_file(
            d, CHART, "  Second line:", "  " + "Long caption. " * 40 + "Second line:"
        ),
        CHART,
        "caption:",
        "caption: Ensure this value has at most 500 characters (it has 617).",
    ),
    "slug that is no slug": (
        lambda d, s: break_file(d, CHART, "slug: il-6-chart", "slug: il 6 chart"),
        CHART,
        "slug:",
        "slug: Enter a valid “slug” consisting of letters, numbers, underscores "
        "or hyphens.",
    ),
    "slug claimed in other capitals": (
        lambda d, s: write_file(
            d,
            "images/zz-copy.yaml",
            (d / CHART).read_text().replace("slug: il-6-chart", "slug: IL-6-Chart"),
        ),
        "images/zz-copy.yaml",
        "slug:",
        "slug “il-6-chart” is also claimed by images/il-6-chart.yaml.",
    ),
    "picture missing": (
        lambda d, s: (d / CHART_PICTURE).unlink(),
        CHART,
        "file:",
        "file: images/il-6-chart.png is missing; put the picture there.",
    ),
    "picture named by a path": (
        lambda d, s: (
            break_file(d, CHART, "file: il-6-chart", "file: ../images/il-6-chart"),
            (d / CHART_PICTURE).rename(d / "chart.png"),
        ),
        CHART,
        "file:",
        "file: “../images/il-6-chart.png” is a path; give the name of the picture "
        "beside this file, such as il-6-chart.png.",
    ),
    "picture changed after the export": (
        lambda d, s: (d / CHART_PICTURE).write_bytes(image_bytes("PNG", (60, 40))),
        CHART,
        "sha256:",
        "sha256: images/il-6-chart.png is not the picture that was exported",
    ),
    "picture that is SVG": (
        lambda d, s: replace_picture(
            d, b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
        ),
        CHART,
        "file:",
        "file: images/il-6-chart.png: SVG images are not accepted",
    ),
    "picture that is no image": (
        lambda d, s: replace_picture(d, b"%PDF-1.4\nA document.\n"),
        CHART,
        "file:",
        "file: images/il-6-chart.png: This file is not a JPEG, PNG, WebP or GIF image",
    ),
    "picture cut off": (
        lambda d, s: replace_picture(d, image_bytes("JPEG", (600, 400))[:900]),
        CHART,
        "file:",
        "file: images/il-6-chart.png: The file could not be read to the end",
    ),
    "picture of another format": (
        lambda d, s: replace_picture(d, image_bytes("BMP", (60, 40))),
        CHART,
        "file:",
        "file: images/il-6-chart.png: This is a BMP image; only JPEG, PNG, WebP "
        "or GIF images are accepted.",
    ),
    "picture empty": (
        lambda d, s: replace_picture(d, b""),
        CHART,
        "file:",
        "file: images/il-6-chart.png: The submitted file is empty.",
    ),
    "picture larger than allowed": (
        with_settings(IMAGE_MAX_FILE_SIZE=2048),
        "images/ornament.yaml",
        "file:",
        "file: images/ornament.jpg: The file is 4.2\xa0KB; an image can be at "
        "most 2.0\xa0KB.",
    ),
    "picture of too many pixels": (
        with_settings(IMAGE_MAX_PIXELS=200_000),
        CHART,
        "file:",
        "file: images/il-6-chart.png: The image is 600 × 400 pixels (0.2 "
        "million); the most is 0.2 million pixels.",
    ),
    "invalid YAML beside its picture": (
        lambda d, s: break_file(d, CHART, "title: 'No'", "title: x\n  bad: y"),
        CHART,
        "  bad: y",
        "invalid YAML: mapping values are not allowed here.",
    ),
    "picture no file names": (
        lambda d, s: (d / "images" / "old-chart.png").write_bytes(image_bytes()),
        "images/old-chart.png",
        None,
        "not a .yaml file, nor the picture one names; images/ holds one .yaml "
        "file per image, its picture beside it.",
    ),
}


@pytest.mark.parametrize("case", BAD_IMAGES, ids=list(BAD_IMAGES))
def test_import_refuses_bad_image_at_its_line_and_stores_nothing(
    image_export, media_root, settings, case
):
    spoil, path, fragment, message = BAD_IMAGES[case]
    # A good change beside the bad one, which must not be written either.
    break_file(image_export, "images/ornament.yaml", "title: Ornament", "title: Leaf")
    spoil(image_export, settings)
    counts = row_counts()
    media = stored_files(media_root)
    with pytest.raises(CommandError) as refusal:
        call_command("import_content", str(image_export))
    line = line_number(image_export, path, fragment) if fragment else 1
    (problem,) = problems_of(refusal)
    assert problem.startswith(f"{image_export / path}:{line}: {message}")
    assert row_counts() == counts
    assert Image.objects.get(slug="ornament").title == "Ornament"
    assert stored_files(media_root) == media


def test_import_stores_a_new_picture_and_makes_its_sizes(
    image_export, media_root, client, capsys, django_capture_on_commit_callbacks
):
    image = Image.objects.get(slug="il-6-chart")
    old_original, old_sizes = image.file.name, image.renditions
    replace_picture(image_export, image_bytes("WEBP", (800, 500)))
    break_file(image_export, "images/ornament.yaml", "title: Ornament", "title: Leaf")
    with django_capture_on_commit_callbacks(execute=True):
        output = import_content(image_export, capsys)
    assert output.splitlines()[0] == "Images: 0 created, 2 updated, 0 unchanged"
    image.refresh_from_db()
    assert image.file.read() == (image_export / CHART_PICTURE).read_bytes()
    assert (image.width, image.height) == (800, 500)
    # The replaced original and its sizes are deleted once the new ones
    # are stored; the new sizes are what the page shows.
    assert not any(
        Path(media_root, name).exists()
        for name in [old_original, *(size["name"] for size in old_sizes)]
    )
    page = client.get("/articles/chart/").content.decode()
    assert element(element(page, "figure"), "img").attrs["width"] == "800"
    # The ornament's picture is unchanged, so it was not stored again.
    assert Image.objects.get(slug="ornament").title == "Leaf"
    assert len(stored_files(media_root)) == len(
        [name for image in Image.objects.all() for name in image.stored_file_names()]
    )


def test_import_that_fails_while_writing_leaves_no_stored_files(
    image_export, settings, tmp_path, monkeypatch
):
    empty_the_site()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"

    def refuse(*args, **kwargs):
        raise OperationalError("database is locked")

    # An article written after the images fails, as when the database is
    # busy with an editor's save.
    monkeypatch.setattr(ArticleKind, "save", refuse)
    with pytest.raises(CommandError, match="the database refused a write"):
        call_command("import_content", str(image_export))
    assert Image.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == {}


def test_export_refuses_an_image_whose_original_is_missing(image_export, tmp_path):
    image = Image.objects.get(slug="ornament")
    image.file.storage.delete(image.file.name)
    with pytest.raises(CommandError) as refusal:
        export(tmp_path / "again")
    assert str(refusal.value) == (
        f"The original of the image “ornament” ({image.file.name}) is missing "
        "from the uploaded files (MEDIA_ROOT). Restore it, or upload the picture "
        "again in the admin, and export again."
    )


def test_import_restores_originals_missing_from_media_root(
    image_export, client, capsys, django_capture_on_commit_callbacks
):
    # A database restored without its uploaded files.
    for image in Image.objects.all():
        for name in image.stored_file_names():
            image.file.storage.delete(name)
    with django_capture_on_commit_callbacks(execute=True):
        output = import_content(image_export, capsys)
    assert output.splitlines()[0] == "Images: 0 created, 2 updated, 0 unchanged"
    chart = Image.objects.get(slug="il-6-chart")
    assert chart.file.read() == (image_export / CHART_PICTURE).read_bytes()
    page = client.get("/articles/chart/").content.decode()
    img = element(element(page, "figure"), "img")
    assert client.get(img.attrs["src"]).status_code == 200
