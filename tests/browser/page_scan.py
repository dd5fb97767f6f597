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

RECORDER = """
(() => {
  const record = (name) => function (value) {
    const call = name + "(" + String(value) + ")";
    (window.__xssCalls = window.__xssCalls || []).push(call);
    try { window.__recordXss(call); } catch (error) {}
    return name === "prompt" ? "" : name === "confirm" ? false : undefined;
  };
  for (const name of ["alert", "confirm", "prompt", "print", "xss_fired"]) {
    Object.defineProperty(window, name, { value: record(name), writable: false });
  }
})();
"""

# What the site writes itself: scripts from /static/ and JSON-LD, style
# set by previews.js on term previews (and the browser's own on the <pre>
# showing a text file). Anything else below is content.
SCAN = """
() => {
  const problems = [];
  const hostile = /^(javascript|data|vbscript):/i;
  // Read as a browser reads an address: tabs and line breaks dropped,
  // controls and spaces at the start ignored.
  const read = (value) => value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\u0000-\\u0020]+/, "");
  const addressAttributes = new Set([
    "href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "codebase", "cite", "ping",
  ]);
  const staticFiles = location.origin + "/static/";
  const describe = (element) => element.outerHTML.slice(0, 160);
  // Text, JSON and feeds are shown by the browser's own viewer, in a <pre>
  // it styles.
  const isPage = document.contentType === "text/html";
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) {
        problems.push("event handler " + name + ": " + describe(element));
      } else if (name === "srcdoc") {
        problems.push("srcdoc: " + describe(element));
      } else if (addressAttributes.has(name) && hostile.test(read(attribute.value))) {
        problems.push("address " + name + ": " + describe(element));
      } else if (name === "style" && isPage && !element.classList.contains("term-preview")) {
        problems.push("style attribute: " + describe(element));
      }
    }
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base"].includes(tag)) {
      problems.push("element " + tag + ": " + describe(element));
    }
    if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      problems.push("meta refresh: " + describe(element));
    }
    if (tag === "script") {
      const source = element.getAttribute("src");
      if (source !== null ? !element.src.startsWith(staticFiles)
          : element.type !== "application/ld+json") {
        problems.push("script: " + describe(element));
      }
    }
  }
  return { problems, calls: window.__xssCalls || [], text: document.body ? document.body.innerText : "" };
}
"""


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
    context.expose_function("__recordXss", lambda call: seen.calls.append(call))
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
