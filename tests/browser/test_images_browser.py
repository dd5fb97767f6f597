"""
An editor uploads a chart in the admin and embeds it in the demo article;
readers see it with its alt text, and no request leaves for another host.
"""

from urllib.parse import urlsplit

from articles.models import Article
from tests.browser.test_editor_journey_browser import field, log_in
from tests.factories import image_bytes


def test_uploaded_image_embedded_in_the_demo_article_reaches_readers(
    page, demo_site, django_user_model, tmp_path
):
    base_url = demo_site.url
    log_in(page, base_url, django_user_model)
    chart = tmp_path / "il6-chart.png"
    chart.write_bytes(image_bytes("PNG", (1800, 900)))

    page.goto(f"{base_url}/admin/images/image/add/")
    page.locator("input[type=file][name=file]").set_input_files(str(chart))
    field(page, "Title").fill("IL-6 chart")
    field(page, "Alt text").fill("Chart: IL-6 levels halve within four weeks.")
    field(page, "Caption").fill("IL-6 before and after treatment.")
    page.get_by_role("button", name="Save and continue editing").click()
    code = page.locator("code.embed-code")
    code.wait_for()
    assert code.inner_text() == "![](image:il-6-chart)"

    article = Article.objects.get(slug="what-are-cytokines")
    page.goto(f"{base_url}/admin/articles/article/{article.pk}/change/")
    body = field(page, "Body")
    body.fill(
        body.input_value()
        + "\n\n![](image:il-6-chart)\n\n"
        + "![pixel](https://tracker.example/p.gif)\n"
    )
    # The demo article is live: this admin puts the edit live at once.
    page.get_by_role("button", name="Save and publish").click()
    page.locator("ul.messagelist li").first.wait_for()

    # A reader, not logged in.
    page.context.clear_cookies()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base_url}/articles/what-are-cytokines/")
    figure = page.locator("figure.body-image")
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    # A function, not an expression, which Playwright would run with eval:
    # the Content-Security-Policy refuses that.
    page.wait_for_function(
        "() => { const image = document.querySelector('figure.body-image img');"
        " return image.complete && image.naturalWidth > 0; }"
    )
    assert image.get_attribute("alt") == "Chart: IL-6 levels halve within four weeks."
    assert (
        figure.locator("figcaption").inner_text() == "IL-6 before and after treatment."
    )
    assert "Image not shown: pixel (external)" in page.locator(".body").inner_text()
    hosts = {urlsplit(url).netloc for url in requested}
    assert hosts == {urlsplit(base_url).netloc}
    assert any("/media/images/renditions/" in url for url in requested)
