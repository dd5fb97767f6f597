"""
Read rendered HTML into elements, so that tests can assert on tags,
attributes, links and text without depending on attribute order, quoting or
spacing. Everything is returned in document order.

Every function takes either a string of HTML or an `Element` found earlier,
so a test can narrow down to one section and look inside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that have no end tag and so never contain anything.
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = field(default=None, repr=False)
    children: list[Element | str] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        """All the text inside, with entities decoded and spacing as written."""
        return "".join(
            child if isinstance(child, str) else child.text for child in self.children
        )

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def descendants(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def matches(self, tag: str | None, attrs: dict[str, str]) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            if name == "class":
                if value not in self.classes:
                    return False
            elif self.attrs.get(name) != value:
                return False
        return True


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {}, parent=self.current)
        for name, value in attrs:
            # A browser keeps the first of repeated attributes.
            element.attrs.setdefault(name, "" if value is None else value)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        # Close the nearest open element with this tag, and any left open
        # inside it; an end tag with nothing to close is ignored.
        open_element = self.current
        while open_element is not self.root:
            if open_element.tag == tag:
                self.current = open_element.parent
                return
            open_element = open_element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | Element) -> Element:
    """The document as a tree under a root element; an `Element` is returned as is."""
    if isinstance(html, Element):
        return html
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _attribute_filter(attrs: dict[str, str]) -> dict[str, str]:
    # Keyword arguments cannot hold hyphens or the word "class":
    # aria_labelledby means aria-labelledby, and class_ means class.
    return {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}


def elements(
    html: str | Element, tag: str | None = None, **attrs: str
) -> list[Element]:
    """
    Every element inside `html` with this tag (any tag if None) and these
    attribute values. `class_` matches one of the element's classes; other
    attributes must equal the value given.
    """
    wanted = _attribute_filter(attrs)
    return [
        element for element in parse(html).descendants() if element.matches(tag, wanted)
    ]


def element(html: str | Element, tag: str | None = None, **attrs: str) -> Element:
    """The one element that `elements` finds; fails if there is none or several."""
    found = elements(html, tag, **attrs)
    assert len(found) == 1, (
        f"expected one <{tag or '*'}> with {attrs}, found {len(found)}"
    )
    return found[0]


def text(html: str | Element) -> str:
    """The text a reader sees, entities decoded, spacing as written."""
    return parse(html).text


def description(html: str | Element, term: str) -> Element:
    """The <dd> that follows the one <dt> whose text is `term`."""
    matching = [dt for dt in elements(html, "dt") if dt.text.strip() == term]
    assert len(matching) == 1, f"expected one <dt>{term}</dt>, found {len(matching)}"
    (term_element,) = matching
    siblings = [
        child for child in term_element.parent.children if isinstance(child, Element)
    ]
    following = siblings[siblings.index(term_element) + 1 :]
    assert following and following[0].tag == "dd", f"no <dd> after <dt>{term}</dt>"
    return following[0]


def hrefs(html: str | Element) -> list[str]:
    """The href of every element that has one."""
    return [
        element.attrs["href"]
        for element in parse(html).descendants()
        if "href" in element.attrs
    ]


def ids(html: str | Element) -> list[str]:
    return [
        element.attrs["id"]
        for element in parse(html).descendants()
        if "id" in element.attrs
    ]


def links(html: str | Element, css_class: str | None = None) -> list[tuple[str, str]]:
    """(href, text) of every <a> with an href, only those of `css_class` if given."""
    wanted = {} if css_class is None else {"class": css_class}
    return [
        (link.attrs["href"], link.text)
        for link in elements(html, "a", **wanted)
        if "href" in link.attrs
    ]


def json_ld(html: str | Element) -> list[dict]:
    """Every JSON-LD block of the page, parsed, in document order."""
    return [
        json.loads(script.text)
        for script in elements(html, "script", type="application/ld+json")
    ]


def meta_content(html: str | Element, **attrs: str) -> str:
    """The content of the one <meta> with these attributes (name, property)."""
    return element(html, "meta", **attrs).attrs["content"]


def form_data(html: str | Element, form_id: str) -> dict[str, str | list[str]]:
    """
    What a browser would submit for the form with `form_id`, unchanged:
    every named input, textarea and select with its current value, hidden
    management fields and inline rows included; buttons and unchecked boxes
    are left out.
    """
    data: dict[str, list[str]] = {}
    for field_element in element(html, "form", id=form_id).descendants():
        name = field_element.attrs.get("name")
        if not name:
            continue
        values = _submitted_values(field_element)
        if values is not None:
            data.setdefault(name, []).extend(values)
    return {name: v[0] if len(v) == 1 else v for name, v in data.items()}


def _submitted_values(field_element: Element) -> list[str] | None:
    if field_element.tag == "textarea":
        # HTML drops one newline straight after the opening tag.
        value = field_element.text
        return [value[1:] if value.startswith("\n") else value]
    if field_element.tag == "select":
        options = elements(field_element, "option")
        chosen = [o for o in options if "selected" in o.attrs]
        if not chosen and options and "multiple" not in field_element.attrs:
            chosen = options[:1]
        return [o.attrs.get("value", o.text) for o in chosen]
    if field_element.tag != "input":
        return None
    kind = field_element.attrs.get("type", "text")
    if kind in {"submit", "button", "image", "reset", "file"}:
        return None
    if kind in {"checkbox", "radio"}:
        if "checked" not in field_element.attrs:
            return None
        return [field_element.attrs.get("value", "on")]
    return [field_element.attrs.get("value", "")]
