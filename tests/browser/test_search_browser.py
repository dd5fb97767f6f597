import re


def test_header_box_suggests_and_keyboard_picks_adalimumab(demo_site, page):
    page.goto(f"{demo_site.url}/")
    box = page.get_by_role("combobox", name="Search the site")
    box.click()
    box.press_sequentially("humi", delay=40)

    listbox = page.get_by_role("listbox", name="Suggestions")
    option = listbox.get_by_role("option").first
    option.wait_for()
    assert option.inner_text().startswith("Humira → Adalimumab")
    assert box.get_attribute("aria-expanded") == "true"

    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")

    page.wait_for_url(re.compile(r"/glossary/adalimumab/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Adalimumab"


def test_escape_closes_suggestions_and_enter_submits_the_form(demo_site, page):
    page.goto(f"{demo_site.url}/")
    box = page.get_by_role("combobox", name="Search the site")
    box.fill("enbrel")
    page.get_by_role("option").first.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=enbrel$"))
    assert page.get_by_role("link", name="Etanercept").is_visible() is True


def test_suggestions_put_names_first_and_label_definition_matches(demo_site, page):
    page.goto(f"{demo_site.url}/")
    box = page.get_by_role("combobox", name="Search the site")
    box.press_sequentially("kin", delay=40)

    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert texts[0].startswith("Kineret → Anakinra")
    from_definitions = [text for text in texts if "found in its definition" in text]
    assert from_definitions, texts
    # A definition match shows the term's name, not its definition.
    assert all("→" not in text for text in from_definitions)
    assert texts.index(from_definitions[0]) > 0
