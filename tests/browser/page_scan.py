"""
Loading pages in Chromium to prove that nothing stored runs as a script.

One browser context for a whole crawl, with the page's Content Security
Policy bypassed: the escaping and sanitising are checked on their own. An
init script, run in every frame before the page's own scripts, replaces
alert, confirm, prompt and print and defines the corpus's marker
`xss_fired` (tests/corpus/xss_vectors.txt), each recording its call; a
dialog listener catches any dialog opened all the same. After each load
the page's DOM is scanned for what only content could have put there.
"""

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORDER = (HERE / "xss_recorder.js").read_text(encoding="utf-8")
SCAN = (HERE / "page_scan.js").read_text(encoding="utf-8")


@dataclass
class Crawl:
    """What a crawl saw: scripts run and what each page held that it must not."""

    calls: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    texts: dict = field(default_factory=dict)

    def record(self, path, found):
        self.problems += [f"{path}: {problem}" for problem in found["problems"]]
        self.calls += [f"{path}: {call}" for call in found["calls"]]
        self.texts[path] = found["text"]


def crawl(browser, base_url, paths, downloads=()):
    """
    Load each of `paths` in turn in one context, scanning each page, and
    fetch each of `downloads` ((path, content type) of files) as the
    browser would; returns the Crawl.
    """
    seen = Crawl()
    context = browser.new_context(bypass_csp=True)
    context.expose_binding(
        "__recordXss",
        lambda source, call: seen.calls.append(f"{source['frame'].url}: {call}"),
    )
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "dialog",
        lambda dialog: (
            seen.calls.append(f"dialog {dialog.message}"),
            dialog.dismiss(),
        ),
    )
    try:
        for path in paths:
            response = page.goto(base_url + path, wait_until="load")
            assert response is not None and response.status < 500, path
            seen.record(path, page.evaluate(SCAN))
        for path, content_type in downloads:
            response = context.request.get(base_url + path)
            headers = response.headers
            assert response.status == 200, path
            assert headers["content-type"] == content_type, path
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["content-disposition"].startswith("attachment"), path
    finally:
        context.close()
    return seen
