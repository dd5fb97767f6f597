"""
In Chromium, under the site's Content-Security-Policy: the admin's pages
and the public pages work without a single violation (an inline script or
style attribute refused, a resource from elsewhere) and without a console
error. Each page is watched through the browser's own
`securitypolicyviolation` events and its console.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from articles.models import Article
from glossary.models import Term
from tests.admin_pages import admin_form, change_url, term_add_form
from tests.factories import logged_in, make_article, make_image, sign_in_browser

# Reported through a binding, so that events of every page, popup and tab
# of the context are recorded before the page moves on.
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""
# Admin addresses never followed: signing out ends the walk, and the rest
# only filter or sort a list already seen.
NOT_FOLLOWED = re.compile(r"/admin/logout/|/admin/r/|/admin/jsi18n/")
MOST_ADMIN_PAGES = 200


class Problems(list):
    """What the browser reported, each with the address it was at."""

    def watch(self, page):
        def console(message):
            # An error page's own status (404, 429) is what it should be; a
            # header the browser cannot read is reported at the page itself.
            if (
                message.type == "error" and message.location["url"] != page.url
            ) or "Permissions-Policy" in message.text:
                self.append(f"{page.url}: console: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.append(f"{page.url}: {error}"))


@pytest.fixture
def watched(browser):
    """A browser context whose pages report violations and errors."""
    context = browser.new_context()
    problems = Problems()
    context.expose_binding(
        "reportViolation",
        lambda source, text: problems.append(f"{source['page'].url}: {text}"),
    )
    context.add_init_script(WATCH_VIOLATIONS)
    context.on("page", problems.watch)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page, problems
    context.close()


def edit(client, obj, **fields):
    """Save `obj`'s admin form with `fields` changed, as an editor does."""
    data = admin_form(client, change_url(obj))
    data.update(fields)
    assert client.post(change_url(obj), data).status_code == 302


@pytest.fixture
def admin_site(demo_site, watched, django_user_model):
    """
    The demo site signed in as a superuser, with what the admin's other
    pages show: an image, versions to compare and restore, changes waiting
    for approval and a deleted term to recover.
    """
    page, problems = watched
    make_image(title="IL-6 chart")
    user = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    client = logged_in(user)
    term = Term.objects.get(slug="adalimumab")
    edit(client, term, definition="A medicine that blocks TNF-alpha.")
    edit(client, term, definition="A biologic medicine that blocks TNF-alpha.")
    article = Article.objects.get(slug="what-are-cytokines")
    edit(client, article, summary="How the body's messengers work.")
    client.post(reverse("admin:glossary_term_add"), term_add_form(client))
    deleted = Term.objects.latest("pk")
    client.post(
        reverse("admin:glossary_term_delete", args=[deleted.pk]), {"post": "yes"}
    )
    sign_in_browser(page.context, demo_site.url, user)
    return demo_site.url, page, problems


def admin_links(page, base_url):
    """The admin addresses the page links to, without query or fragment."""
    found = set()
    for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" != base_url:
            continue
        if not parts.path.startswith("/admin/") or NOT_FOLLOWED.search(parts.path):
            continue
        query = parts.query if "/history/compare/" in parts.path else ""
        found.add(parts.path + (f"?{query}" if query else ""))
    return found


def test_every_admin_page_reached_from_the_index_has_no_violation(admin_site):
    base_url, page, problems = admin_site
    seen, waiting = set(), ["/admin/"]
    while waiting and len(seen) < MOST_ADMIN_PAGES:
        address = waiting.pop(0)
        if address in seen:
            continue
        seen.add(address)
        page.goto(base_url + address)
        waiting.extend(sorted(admin_links(page, base_url) - seen))

    assert not problems, "\n".join(problems)
    assert len(seen) > 40


# The admin's forms, used as an editor uses them.
FORMS = [
    "/admin/articles/article/add/",
    "/admin/articles/article/{article}/change/",
    "/admin/glossary/term/add/",
    "/admin/glossary/term/{term}/change/",
    "/admin/references/reference/add/",
    "/admin/portal/page/add/",
    "/admin/images/image/add/",
    "/admin/articles/reviewer/add/",
    "/admin/auth/user/{user}/change/",
]


def use_form(page):
    """
    Add a row to each inline, open the first "add another" popup, search in
    each autocomplete box, open each calendar and clock, and preview.
    """
    for link in page.locator(".add-row a").all():
        link.click()
    add_related = page.locator("a.add-related:visible")
    if add_related.count():
        with page.expect_popup() as popup:
            add_related.first.click()
        popup.value.wait_for_load_state()
        popup.value.close()
    for box in page.locator(".select2-selection:visible").all()[:3]:
        box.click()
        page.locator(".select2-search__field").last.fill("a")
        page.locator(".select2-results__option").first.wait_for()
        page.keyboard.press("Escape")
    for shortcut in page.locator(
        ".datetimeshortcuts a[id^=calendarlink]:visible"
    ).all():
        shortcut.click()
        page.keyboard.press("Escape")
    for shortcut in page.locator(".datetimeshortcuts a[id^=clocklink]:visible").all():
        shortcut.click()
        page.keyboard.press("Escape")
    preview = page.get_by_role("button", name="Preview")
    if preview.count():
        with page.context.expect_page() as opened:
            preview.click()
        opened.value.wait_for_load_state()
        opened.value.close()


def test_admin_forms_in_use_have_no_violation(admin_site, django_user_model):
    base_url, page, problems = admin_site
    ids = {
        "article": Article.objects.get(slug="what-are-cytokines").pk,
        "term": Term.objects.get(slug="adalimumab").pk,
        "user": django_user_model.objects.get().pk,
    }
    for address in FORMS:
        page.goto(base_url + address.format(**ids))
        use_form(page)
    page.goto(f"{base_url}/admin/glossary/term/{ids['term']}/history/")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/history/compare/?*")
    page.get_by_role("link", name="Restore this version").first.click()
    page.wait_for_url("**/history/*/")

    assert not problems, "\n".join(problems)


# Every kind of public page, with what a reader's browser does on it.
PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/articles/what-are-cytokines/",
    "/articles/{figure}/",
    "/glossary/",
    "/glossary/letter/t/",
    "/glossary/adalimumab/",
    "/glossary/tnf-alpha/",
    "/glossary/search/?q=tnf",
    "/glossary/search/?q=adalimumib",
    "/search/?q=tnf",
    "/search/?q=",
    "/references/",
    "/tags/treatment/",
    "/about/",
    "/no-such-page/",
    "/glossary/letter/no-such-letter/",
]


def read_like_a_reader(page):
    """Type in the search box, hover and focus term links, copy a citation."""
    box = page.get_by_role("combobox", name="Search the site")
    box.fill("")
    box.press_sequentially("humi", delay=30)
    page.get_by_role("option").first.wait_for()
    box.press("Escape")
    for link in page.locator("a.term-link").all()[:2]:
        link.hover()
        link.focus()
    copy = page.get_by_role("button", name="Copy AMA citation")
    if copy.count():
        copy.click()


def test_public_pages_have_no_violation(demo_site, watched, settings):
    page, problems = watched
    image = make_image(title="IL-6 chart")
    figure = make_article(body=f"Levels fall.\n\n{image.embed_code}\n")
    for address in PUBLIC_PAGES:
        page.goto(demo_site.url + address.format(figure=figure.slug))
        read_like_a_reader(page)
    # Files a reader may open too, shown by the browser's own viewers.
    for address in ("/sitemap.xml", "/feeds/articles/", "/robots.txt"):
        page.goto(demo_site.url + address)
    # The page of a reader who searched too often.
    settings.RATELIMIT_ENABLE = True
    settings.SEARCH_RATE_LIMIT = "1/m"
    for __ in range(2):
        page.goto(f"{demo_site.url}/search/?q=il-6")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Too many searches at once"
    )

    assert not problems, "\n".join(problems)


def test_pages_staff_see_have_no_violation(demo_site, watched, django_user_model):
    page, problems = watched
    draft = make_article(
        status=Article.Status.DRAFT, body="Ask about [[Golimumab]] [@nobody-2020]."
    )
    user = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    sign_in_browser(page.context, demo_site.url, user)
    for address in ("/", draft.get_absolute_url(), "/glossary/adalimumab/"):
        page.goto(demo_site.url + address)
        read_like_a_reader(page)

    assert not problems, "\n".join(problems)


def test_suggestions_refused_for_a_while_leave_the_box_working(
    demo_site, watched, settings
):
    page, problems = watched
    settings.RATELIMIT_ENABLE = True
    settings.SUGGEST_RATE_LIMIT = "1/m"
    page.goto(f"{demo_site.url}/")
    box = page.get_by_role("combobox", name="Search the site")
    box.fill("humi")
    page.get_by_role("option").first.wait_for()
    with page.expect_response("**/glossary/suggest/?q=humira") as refused:
        box.fill("humira")
    assert refused.value.status == 429
    # Time for the script to handle the answer.
    page.wait_for_timeout(200)

    # What was suggested stays; Enter searches.
    assert page.get_by_role("option").first.is_visible() is True
    assert page.get_by_role("option").first.inner_text().startswith("Humira")
    box.press("Escape")
    box.press("Enter")
    page.wait_for_url("**/search/?q=humira")
    assert not [problem for problem in problems if "429" not in problem]
