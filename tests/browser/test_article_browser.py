from django.core.management import call_command


def test_reader_opens_demo_article_and_follows_reference_link(live_server, page):
    call_command("load_demo", verbosity=0)
    # The site has no network access to the DOI resolver, so the browser's
    # request for it is answered here; what matters is where the click goes.
    page.route(
        "https://doi.org/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Resolved DOI</title>"
        ),
    )
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="What are cytokines?").click()
    page.wait_for_url("**/articles/what-are-cytokines/")
    assert page.get_by_role("heading", level=1).inner_text() == "What are cytokines?"

    references = page.locator("section.references ol > li")
    assert references.count() == 3
    assert references.nth(0).inner_text().startswith("McInnes IB, Schett G.")

    references.nth(0).get_by_role("link", name="10.1038/nri2094").click()
    page.wait_for_url("https://doi.org/10.1038/nri2094")
    assert page.title() == "Resolved DOI"
