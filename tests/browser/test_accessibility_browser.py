"""
axe-core's WCAG 2.2 A/AA and best-practice rules, run in Chromium on each
page of tests/checked_pages.py, in light and dark colour schemes and at a
phone's and a desktop's width. A violation names its rule, its impact, the
elements it found and where the rule is explained. The same page loads
must log no error in the browser's console and request nothing that fails
(a missing icon or script), which Lighthouse counts against the page too.
"""

import pytest

from tests.checked_pages import CHECKED_PAGES, NODE_MODULES, expected_status

AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# What the page's violations are reduced to: enough to find and fix each.
RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}
"""


def describe(violations_by_page):
    lines = []
    for page_name, violations in violations_by_page.items():
        for violation in violations:
            lines.append(
                f"{page_name}: {violation['id']} ({violation['impact']}) "
                f"{violation['help']} <{violation['helpUrl']}>"
            )
            lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def collect_errors(page):
    """
    What goes wrong in `page` from now on, as (address, what): errors in
    the console (Chromium logs each file that answers 4xx or 5xx there),
    uncaught script errors and requests that get no answer.
    """
    errors = []

    def on_console(message):
        if message.type == "error":
            errors.append((message.location["url"], f"console: {message.text}"))

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append((page.url, f"script: {error}")))
    page.on(
        "requestfailed",
        lambda request: errors.append((request.url, f"failed: {request.failure}")),
    )
    return errors


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_pages_pass_axe_and_log_no_errors(
    demo_site, about_page, browser, color_scheme, width
):
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing; `make install-dev` installs it.")
    # axe-core is added to each page as a script tag, which the site's
    # Content-Security-Policy refuses; test_content_policy_browser.py checks
    # the pages under the policy.
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=color_scheme,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations_by_page = {}
    errors = collect_errors(page)
    try:
        for name, path in CHECKED_PAGES.items():
            address = f"{demo_site.url}{path}"
            response = page.goto(address)
            assert response.status == expected_status(name), path
            if name == "not found":
                # Chromium logs the 404 the page is meant to answer with.
                errors[:] = [error for error in errors if error[0] != address]
            page.add_script_tag(path=AXE_SCRIPT)
            violations = page.evaluate(RUN_AXE, AXE_TAGS)
            if violations:
                violations_by_page[f"{name} ({path})"] = violations
    finally:
        context.close()
    if violations_by_page:
        pytest.fail(
            f"axe-core, {color_scheme} scheme, {width} px wide:\n"
            + describe(violations_by_page)
        )
    assert errors == [], f"{color_scheme} scheme, {width} px wide"
