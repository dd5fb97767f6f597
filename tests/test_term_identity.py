"""
A term's identity: renames keep published links true, old addresses
redirect, deleting a term says what happens to the pages linking to it, and
names that search and linking could not tell apart are refused.
"""

import pytest
from django.urls import reverse

from articles.models import Article
from glossary.models import SearchEntry, Term
from tests.admin_pages import SAVE_AND_PUBLISH, admin_form, change_url
from tests.factories import make_article, make_term
from tests.html import element, elements, links, text

pytestmark = pytest.mark.django_db


def change_form(client, obj):
    """The admin change form of `obj` as a browser would submit it unchanged."""
    url = change_url(obj)
    return url, admin_form(client, url)


def post_committed(client, url, data, capture):
    """POST `data` and run what waits for the commit (relinking)."""
    with capture(execute=True):
        return client.post(url, data)


def error_messages(html):
    return [text(item).strip() for item in elements(html, "ul", class_="errorlist")]


def term_links(client, url):
    return links(client.get(url).content.decode(), css_class="term-link")


# Renames keep published links true


@pytest.fixture
def interleukins():
    family = make_term(name="Interleukin", aliases="interleukins")
    member = make_term(name="Interleukin 6", aliases="IL-6")
    article = make_article(
        title="Messengers of fever", body="Interleukin 6 is made in inflamed joints."
    )
    return family, member, article


def test_rename_through_admin_keeps_old_name_linking_to_the_term(
    staff_client, client, interleukins, django_capture_on_commit_callbacks
):
    __, member, article = interleukins
    url, data = change_form(staff_client, member)
    assert data["keep_old_name"] == "on"
    assert data["relations-TOTAL_FORMS"] == "1"
    data["name"] = "Interleukin-6"
    response = post_committed(
        staff_client, url, data, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    assert term_links(client, article.get_absolute_url()) == [
        ("/glossary/interleukin-6/", "Interleukin 6")
    ]
    page = client.get("/glossary/interleukin-6/").content.decode()
    assert element(page, "h1").text == "Interleukin-6"
    assert [alias.text for alias in elements(page, class_="alias")] == [
        "IL-6",
        "Interleukin 6",
    ]


def test_rename_through_admin_keeps_explicit_links_resolved(
    staff_client, client, django_capture_on_commit_callbacks
):
    drug = make_term(name="Tocilizumab", kind=Term.Kind.DRUG)
    article = make_article(body="One option is [[Tocilizumab|a brand]] given monthly.")
    url, data = change_form(staff_client, drug)
    data["name"] = "Tocilizumab injection"
    post_committed(staff_client, url, data, django_capture_on_commit_callbacks)
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == [("/glossary/tocilizumab/", "a brand")]
    assert elements(page, class_="unresolved-link") == []


def test_rename_with_box_unticked_lets_old_name_go(
    staff_client, client, interleukins, django_capture_on_commit_callbacks
):
    __, member, article = interleukins
    url, data = change_form(staff_client, member)
    del data["keep_old_name"]
    # A spelling variant ("Interleukin-6") would still read as the old name;
    # this rename drops it for good.
    data["name"] = "Interleukin-6 (IL-6)"
    post_committed(staff_client, url, data, django_capture_on_commit_callbacks)
    member.refresh_from_db()
    assert member.alias_list == ["IL-6"]
    assert term_links(client, article.get_absolute_url()) == [
        ("/glossary/interleukin/", "Interleukin")
    ]


@pytest.fixture
def linked_rival():
    drug = make_term(name="Etanercept", aliases="Enbrel", kind=Term.Kind.DRUG)
    article = make_article(
        title="Choosing a TNF blocker", body="Some choose [[Etanercept|a rival]]."
    )
    return drug, article


def warnings_after(client, url, data, capture):
    """The admin's warning messages after posting `data`, redirect followed."""
    with capture(execute=True):
        response = client.post(url, data, follow=True)
    html = response.content.decode()
    return [text(item) for item in elements(html, "li", class_="warning")]


def test_dropping_an_old_name_that_links_use_warns_naming_the_pages(
    staff_client, client, linked_rival, django_capture_on_commit_callbacks
):
    drug, article = linked_rival
    url, data = change_form(staff_client, drug)
    del data["keep_old_name"]
    data["name"] = "Etanercept injection"
    (warning,) = warnings_after(
        staff_client, url, data, django_capture_on_commit_callbacks
    )
    assert "[[Etanercept]]" in warning
    assert "“Choosing a TNF blocker”" in warning
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert links(page, css_class="term-link") == []


def test_dropping_a_name_warns_only_of_pages_where_it_shows_as_a_link(
    staff_client, client, linked_rival, django_capture_on_commit_callbacks
):
    drug, __ = linked_rival
    further = make_article(
        title="Further reading", body="[About [[Etanercept]]](https://example.org/)."
    )
    # Inside a link's own text, [[Etanercept]] shows as plain text already.
    assert term_links(client, further.get_absolute_url()) == []
    url, data = change_form(staff_client, drug)
    del data["keep_old_name"]
    data["name"] = "Etanercept injection"
    (warning,) = warnings_after(
        staff_client, url, data, django_capture_on_commit_callbacks
    )
    assert "“Choosing a TNF blocker”" in warning
    assert "Further reading" not in warning


def test_removing_an_alias_that_links_use_warns(
    staff_client, linked_rival, django_capture_on_commit_callbacks
):
    drug, article = linked_rival
    type(article).objects.filter(pk=article.pk).update(body="Or [[enbrel]].")
    url, data = change_form(staff_client, drug)
    data["aliases"] = ""
    (warning,) = warnings_after(
        staff_client, url, data, django_capture_on_commit_callbacks
    )
    assert "[[Enbrel]]" in warning


def test_keeping_the_old_name_gives_no_warning(
    staff_client, linked_rival, django_capture_on_commit_callbacks
):
    drug, __ = linked_rival
    url, data = change_form(staff_client, drug)
    data["name"] = "Etanercept injection"
    assert (
        warnings_after(staff_client, url, data, django_capture_on_commit_callbacks)
        == []
    )


def test_term_add_form_has_no_keep_old_name_box(staff_client):
    html = staff_client.get(reverse("admin:glossary_term_add")).content.decode()
    assert elements(html, "input", name="keep_old_name") == []
    assert elements(html, "input", name="name")


# Old addresses redirect


def test_term_slug_changes_leave_one_hop_permanent_redirects(
    staff_client, client, django_capture_on_commit_callbacks
):
    term = make_term(name="Tocilizumab")
    article = make_article(body="Tocilizumab blocks a cytokine receptor.")
    for new_slug in ("tocilizumab-iv", "tocilizumab-injection"):
        url, data = change_form(staff_client, term)
        data["slug"] = new_slug
        response = post_committed(
            staff_client, url, data, django_capture_on_commit_callbacks
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    for old in ("/glossary/tocilizumab/", "/glossary/tocilizumab-iv/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/glossary/tocilizumab-injection/"
    assert client.get("/glossary/tocilizumab-injection/").status_code == 200
    assert term_links(client, article.get_absolute_url()) == [
        ("/glossary/tocilizumab-injection/", "Tocilizumab")
    ]


def test_term_slug_changed_back_serves_the_page_again(staff_client, client):
    term = make_term(name="Sarilumab")
    for new_slug in ("sarilumab-injection", "sarilumab"):
        url, data = change_form(staff_client, term)
        data["slug"] = new_slug
        assert staff_client.post(url, data).status_code == 302
    assert client.get("/glossary/sarilumab/").status_code == 200
    response = client.get("/glossary/sarilumab-injection/")
    assert response.status_code == 301
    assert response["Location"] == "/glossary/sarilumab/"


def test_new_term_taking_an_old_address_wins_over_the_redirect(staff_client, client):
    old = make_term(name="Actemra")
    url, data = change_form(staff_client, old)
    data.update(name="Tocilizumab", slug="tocilizumab")
    del data["keep_old_name"]
    assert staff_client.post(url, data).status_code == 302
    add_url = reverse("admin:glossary_term_add")
    data = admin_form(staff_client, add_url)
    data.update(name="Actemra", slug="actemra", definition="A brand name.")
    response = staff_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get("/glossary/actemra/")
    assert page.status_code == 200
    assert element(page.content.decode(), "h1").text == "Actemra"


def test_unknown_term_address_is_still_not_found(client):
    assert client.get("/glossary/no-such-term/").status_code == 404


def test_article_slug_changes_leave_one_hop_permanent_redirects(staff_client, client):
    article = make_article(title="Living with arthritis", slug="arthritis")
    for new_slug in ("living-with-arthritis", "living-with-rheumatoid-arthritis"):
        url, data = change_form(staff_client, article)
        data["slug"] = new_slug
        response = staff_client.post(url, {**data, **SAVE_AND_PUBLISH})
        assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    for old in ("/articles/arthritis/", "/articles/living-with-arthritis/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/articles/living-with-rheumatoid-arthritis/"


def test_new_article_taking_an_old_address_wins_over_the_redirect(staff_client, client):
    article = make_article(title="Old title", slug="cytokine-storms")
    article.slug = "cytokine-storm"
    article.save()
    add_url = reverse("admin:articles_article_add")
    data = admin_form(staff_client, add_url)
    data.update(
        title="Cytokine storms in children",
        slug="cytokine-storms",
        status=Article.Status.PUBLISHED,
        published_at_0="2026-01-02",
        published_at_1="10:00:00",
        updated_at_0="2026-01-02",
        updated_at_1="10:00:00",
    )
    response = staff_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    page = client.get("/articles/cytokine-storms/")
    assert page.status_code == 200
    assert element(page.content.decode(), "h1").text == "Cytokine storms in children"


def test_old_address_of_a_draft_is_not_found_for_visitors(client):
    article = make_article(slug="draft-notes", status=Article.Status.DRAFT)
    article.slug = "draft-notes-2"
    article.save()
    assert client.get("/articles/draft-notes/").status_code == 404


# Deleting a term


@pytest.fixture
def linked_drug():
    drug = make_term(name="Tocilizumab", aliases="Actemra", kind=Term.Kind.DRUG)
    target = make_term(name="Interleukin-6 receptor")
    drug.relations.create(kind="inhibits", target=target)
    drug.tags.set(["arthritis"])
    article = make_article(
        title="Treating arthritis", body="Some people take Actemra every month."
    )
    other = make_term(name="Sarilumab", body="It acts like tocilizumab does.")
    return drug, article, other


def test_delete_page_names_linking_pages_in_plain_words(staff_client, linked_drug):
    drug, article, other = linked_drug
    html = staff_client.get(
        reverse("admin:glossary_term_delete", args=[drug.pk])
    ).content.decode()
    content = element(html, id="content")
    notice = element(content, class_="links-become-text")
    assert "2 pages link to “Tocilizumab”" in text(notice)
    assert "becomes plain text" in text(notice)
    assert links(notice) == [
        (article.get_absolute_url(), "Treating arthritis"),
        (other.get_absolute_url(), "Sarilumab"),
    ]
    listed = [text(item).strip() for item in elements(content, "li")]
    assert "Relation: Tocilizumab inhibits Interleukin-6 receptor" in listed
    for internal in ("object (", "relationship", "Search entr", "Tagged item"):
        assert internal not in text(content)


def test_delete_confirmed_in_admin_leaves_plain_text_where_links_were(
    staff_client, client, linked_drug, django_capture_on_commit_callbacks
):
    drug, article, other = linked_drug
    url = reverse("admin:glossary_term_delete", args=[drug.pk])
    response = post_committed(
        staff_client, url, {"post": "yes"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    client.logout()
    for page_url, words in (
        (article.get_absolute_url(), "Some people take Actemra every month."),
        (other.get_absolute_url(), "It acts like tocilizumab does."),
    ):
        page = client.get(page_url).content.decode()
        assert links(page, css_class="term-link") == []
        assert words in text(page)
    assert client.get("/glossary/tocilizumab/").status_code == 404


def test_bulk_delete_page_names_linking_pages_and_then_unlinks_them(
    staff_client, client, linked_drug, django_capture_on_commit_callbacks
):
    drug, article, other = linked_drug
    unused = make_term(name="Olokizumab")
    url = reverse("admin:glossary_term_changelist")
    choice = {"action": "delete_selected", "_selected_action": [drug.pk, unused.pk]}
    html = staff_client.post(url, choice).content.decode()
    content = element(html, id="content")
    notices = [text(n) for n in elements(content, class_="links-become-text")]
    assert "No article or term links to “Olokizumab”." in notices[0]
    assert "2 pages link to “Tocilizumab”" in notices[1]
    assert (article.get_absolute_url(), "Treating arthritis") in links(content)
    for internal in ("object (", "relationship", "Search entr", "Tagged item"):
        assert internal not in text(content)
    response = post_committed(
        staff_client, url, {**choice, "post": "yes"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert not Term.objects.filter(pk__in=[drug.pk, unused.pk]).exists()
    assert term_links(client, article.get_absolute_url()) == []


# Conflicting names are refused


@pytest.fixture
def drugs():
    make_term(name="Tocilizumab", aliases="Actemra\nRoActemra", kind=Term.Kind.DRUG)
    make_term(name="Interleukin-6", aliases="IL-6")
    make_term(name="Adalimumab", aliases="Humira", kind=Term.Kind.DRUG)


def add_term(client, **fields):
    url = reverse("admin:glossary_term_add")
    data = admin_form(client, url)
    data.update(definition="A medicine.", **fields)
    return client.post(url, data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"name": "Sarilumab", "aliases": "Kevzara\nActemra"},
            "“Actemra” is already an alias of Tocilizumab.",
        ),
        (
            {"name": "Siltuximab", "aliases": "IL 6 blocker\nIL 6"},
            "“IL 6” reads the same as “IL-6”, an alias of Interleukin-6; search "
            "and links could not tell them apart.",
        ),
        ({"name": "Humira"}, "“Humira” is already an alias of Adalimumab."),
        ({"name": "tocilizumab"}, "“tocilizumab” is already the name of Tocilizumab."),
    ],
)
def test_admin_refuses_another_terms_name_or_alias(
    staff_client, drugs, fields, message
):
    response = add_term(staff_client, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert error_messages(html) == [message]
    assert element(html, "input", name="name").attrs["value"] == fields["name"]
    if "aliases" in fields:
        typed = element(html, "textarea", name="aliases").text.strip()
        assert typed == fields["aliases"]
    assert not Term.objects.filter(name=fields["name"]).exists()


def test_admin_refuses_a_rename_onto_another_terms_alias(staff_client, drugs):
    term = Term.objects.get(name="Interleukin-6")
    url, data = change_form(staff_client, term)
    data["aliases"] = "IL-6\nRoActemra"
    html = staff_client.post(url, data).content.decode()
    assert error_messages(html) == ["“RoActemra” is already an alias of Tocilizumab."]
    term.refresh_from_db()
    assert term.alias_list == ["IL-6"]


def test_admin_accepts_several_spellings_of_one_term(staff_client, drugs):
    response = add_term(
        staff_client, name="Interleukin-17", aliases="IL-17\nIL17\nil 17"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Term.objects.get(name="Interleukin-17").alias_list == [
        "IL-17",
        "IL17",
        "il 17",
    ]


def test_link_problems_page_lists_conflicting_names(staff_client):
    # Rows saved without the form's checks, as older data may hold them.
    first = make_term(name="Tocilizumab", aliases="Actemra")
    second = make_term(name="Sarilumab", aliases="Actemra")
    third = make_term(name="Interleukin-6", aliases="IL-6\nIL6")
    fourth = make_term(name="Siltuximab", aliases="IL 6")
    make_term(name="Kineret")
    html = staff_client.get(reverse("admin:link-problems")).content.decode()
    section = element(html, id="name-conflicts")
    rows = elements(section, "tr")[1:]
    assert [text(element(row, "th")) for row in rows] == [
        "Actemra",
        "IL-6 / IL6 / IL 6",
    ]
    assert [text(item) for item in elements(rows[1], "li")] == [
        "Interleukin-6: “IL-6”, “IL6”",
        "Siltuximab: “IL 6”",
    ]
    change = "admin:glossary_term_change"
    assert links(rows[0]) == [
        (reverse(change, args=[second.pk]), "Sarilumab"),
        (reverse(change, args=[first.pk]), "Tocilizumab"),
    ]
    assert links(rows[1]) == [
        (reverse(change, args=[third.pk]), "Interleukin-6"),
        (reverse(change, args=[fourth.pk]), "Siltuximab"),
    ]
    assert "Kineret" not in text(section)


# The demo content stays loaded for the rest of the module, so these come
# last.


def test_admin_refuses_demo_brand_name_as_a_new_term(
    staff_client, client, demo, django_capture_on_commit_callbacks
):
    url = reverse("admin:glossary_term_add")
    data = admin_form(staff_client, url)
    data.update(name="Humira", definition="A brand of adalimumab.")
    response = post_committed(
        staff_client, url, data, django_capture_on_commit_callbacks
    )
    assert error_messages(response.content.decode()) == [
        "“Humira” is already an alias of Adalimumab."
    ]
    article = client.get("/articles/what-are-cytokines/").content.decode()
    hrefs = [href for href, __ in links(article, css_class="term-link")]
    assert "/glossary/adalimumab/" in hrefs
    assert "/glossary/humira/" not in hrefs


def test_demo_content_has_no_conflicting_names(staff_client, demo):
    assert list(SearchEntry.objects.conflicting()) == []
    html = staff_client.get(reverse("admin:link-problems")).content.decode()
    section = element(html, id="name-conflicts")
    assert "No two terms share a name or alias." in text(section)
