"""
Citations inside bodies: `[@key]`, `[@key, p. 4]`, `[@a; @b, pp. 4-5]`.

They are rendered AMA style, as superscript numbers in order of first
citation: "1", "1(p4)", "1,2", "1–3". Keys are matched without regard to
case and stored as the reference spells its own. Anything in square
brackets that starts with "@" is taken as a citation: what cannot be read
or resolved is reported for the editors and marked for staff only (see
glossary/markers.py), never left as literal text.
"""

import html
import re
from dataclasses import dataclass

from glossary.markers import staff_only

escape = html.escape

# A citation is a pair of square brackets whose text starts with "@".
# Brackets in the form other citation styles use, with words or a minus
# before the first key ("[see @key]", "[-@key]"), are taken as citations
# too, so that they are reported rather than left as text; other text with
# an "@" in brackets ("[follow @name on X]") is left alone.
CITATION = (
    r"(?:\[\s*@[^\[\]]*\]"
    r"|\[(?:-\s*|[^\[\]@\n]*?\s)@[A-Za-z0-9_-]+(?:[,;][^\[\]]*)?\])"
)
CITATION_BRACKET = re.compile(CITATION)
# Citations side by side (`[@a][@b]`, `[@a] [@b]`) are rendered as one
# group, so that they read "1,2" and never "12".
CITATION_RUN = re.compile(rf"{CITATION}(?:\s*{CITATION})*")

# Reference keys are slugs (Reference.key): ASCII letters, digits, hyphens
# and underscores.
REFERENCE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ITEM = re.compile(r"@(?P<key>[^\s,;]*)(?P<rest>.*)", re.DOTALL)

# A locator names a part of the work: "p. 4", "pp. 4-5", "chap. 3",
# "fig. 2", "§ 4.1"; a bare number is a page.
LOCATOR_LABELS = {
    **dict.fromkeys(["p", "pp", "page", "pages"], "page"),
    **dict.fromkeys(["ch", "chap", "chapter", "chapters"], "chapter"),
    **dict.fromkeys(["fig", "figs", "figure", "figures"], "figure"),
    **dict.fromkeys(["tab", "tbl", "table", "tables"], "table"),
    **dict.fromkeys(["§", "sec", "section", "sections"], "section"),
    **dict.fromkeys(["¶", "para", "paragraph", "paragraphs"], "paragraph"),
    **dict.fromkeys(["vol", "volume", "volumes"], "volume"),
}
# How each kind of locator is abbreviated after the number, as AMA does:
# 1(p4), 1(pp4–5), 1(chap 3).
LOCATOR_ABBREVIATIONS = {
    "page": "p",
    "chapter": "chap ",
    "figure": "fig ",
    "table": "table ",
    "section": "sec ",
    "paragraph": "para ",
    "volume": "vol ",
}
LOCATOR_PART = r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*"
LOCATOR_SPAN = rf"{LOCATOR_PART}(?:\s*[-‐‑‒–—]\s*{LOCATOR_PART})?"
LOCATOR_VALUE = re.compile(rf"{LOCATOR_SPAN}(?:\s*,\s*{LOCATOR_SPAN})*")
LOCATOR = re.compile(r"(?:(?P<label>[^\W\d_]+\.?|[§¶])\s*)?(?P<value>.+)", re.DOTALL)
LOCATOR_DASH = re.compile(r"\s*[-‐‑‒–—]\s*")
LOCATOR_COMMA = re.compile(r"\s*,\s*")

# Ranges are written with an en dash everywhere: "1–3", "1(pp4–5)".
RANGE_DASH = "\u2013"
# Runs of this many consecutive numbers or more are shown as a range.
SHORTEST_RANGE = 3

LOCATOR_HINT = "such as p. 4, pp. 4-5, chap. 3, fig. 2, table 1, sec. 2 or vol. 3"


@dataclass(frozen=True)
class Locator:
    """The part of a work a citation points to: pages 4 to 5."""

    kind: str
    spans: tuple  # of (first, last) pairs; last is None for one value

    @property
    def is_plural(self):
        return len(self.spans) > 1 or self.spans[0][1] is not None

    @property
    def short(self):
        """AMA's form after the number: "p4", "pp4–5", "chap 3"."""
        label = LOCATOR_ABBREVIATIONS[self.kind]
        if self.kind == "page" and self.is_plural:
            label = "pp"
        values = ",".join(
            first if last is None else f"{first}{RANGE_DASH}{last}"
            for first, last in self.spans
        )
        return f"{label}{values}"

    @property
    def spoken(self):
        """The locator in words, for screen readers: "pages 4 to 5"."""
        values = ", ".join(
            first if last is None else f"{first} to {last}"
            for first, last in self.spans
        )
        return f"{self.kind}{'s' if self.is_plural else ''} {values}"


@dataclass(frozen=True)
class CitedKey:
    """One `@key` of a citation, as typed, with its locator if any."""

    key: str
    locator: Locator | None = None


@dataclass(frozen=True)
class Unreadable:
    """Part of a citation that cannot be read, and why."""

    text: str
    reason: str


def parse_locator(text):
    """The Locator that `text` ("pp. 4-5") names, or None."""
    match = LOCATOR.fullmatch(text)
    label, value = match.group("label"), match.group("value")
    if label is not None:
        kind = LOCATOR_LABELS.get(label.rstrip(".").lower())
        if kind is None:
            # "e12" or "iv" is a page, not a label and a value.
            kind, value = "page", text
    else:
        kind = "page"
    if not LOCATOR_VALUE.fullmatch(value):
        return None
    spans = []
    for span in LOCATOR_COMMA.split(value):
        first, _, last = LOCATOR_DASH.sub("-", span).partition("-")
        spans.append((first, last or None))
    return Locator(kind, tuple(spans))


def parse_item(text):
    """A CitedKey for one `@key, locator` item, or Unreadable."""
    text = text.strip()
    match = ITEM.fullmatch(text)
    if match is None:
        if text.startswith("-"):
            return Unreadable(
                text, "a minus before the @ is not used here: write [@key]"
            )
        if "@" in text:
            return Unreadable(text, "words go outside the brackets, as in see [@key]")
        return Unreadable(text, "each cited key starts with @, as in [@a; @b]")
    key, rest = match.group("key"), match.group("rest").strip()
    if not key:
        return Unreadable(text, "a reference key must follow the @")
    if not REFERENCE_KEY.fullmatch(key):
        return Unreadable(
            text,
            "reference keys hold only letters, digits, hyphens and underscores",
        )
    if not rest:
        return CitedKey(key)
    if not rest.startswith(","):
        return Unreadable(
            text, f"put a comma between the key and the locator ({LOCATOR_HINT})"
        )
    locator_text = rest[1:].strip()
    if not locator_text:
        return Unreadable(text, f"a locator must follow the comma ({LOCATOR_HINT})")
    locator = parse_locator(locator_text)
    if locator is None:
        return Unreadable(
            text, f"“{locator_text}” is not a locator; write one {LOCATOR_HINT}"
        )
    return CitedKey(key, locator)


def parse_citation(bracketed):
    """A CitedKey or Unreadable for each `;`-separated item of `[@…]`."""
    return [parse_item(item) for item in bracketed.strip()[1:-1].split(";")]


# What is typed but never read as Markdown syntax: a backslash-escaped
# character (`\[@key]` is the literal text) and code in backticks (spans
# and ``` fences), which shows what was typed. Rewriting a citation or an
# image's embed leaves it alone. A run of backticks is taken whole (`++`)
# and, closed by no run of the same length, stands alone as the text it
# is: trying shorter runs inside it would take time growing with the cube
# of its length.
CODE_OR_ESCAPE = r"\\.|(?P<ticks>`++)(?:[\s\S]*?(?<!`)(?P=ticks)(?!`))?"
CITATION_OR_NOT = re.compile(rf"{CODE_OR_ESCAPE}|(?P<citation>{CITATION})")


def recite(source, old_key, new_key):
    """
    `source` with every citation of `old_key` (in any case, alone, in a
    group or with a locator) citing `new_key` instead; other text, code and
    escaped brackets stay as typed.
    """
    cited_key = re.compile(
        rf"(?<=[\[;\s-])@{re.escape(old_key)}(?=[\s,;\]])", re.IGNORECASE
    )

    def rewrite(match):
        if match.group("citation") is None:
            return match.group()
        return cited_key.sub(lambda item: f"@{new_key}", match.group())

    return CITATION_OR_NOT.sub(rewrite, source)


def cited_keys_in(source):
    """Every reference key cited in a Markdown source, in order, with repeats."""
    return [
        item.key
        for bracket in CITATION_BRACKET.finditer(source or "")
        for item in parse_citation(bracket.group())
        if isinstance(item, CitedKey)
    ]


@dataclass(frozen=True)
class _Cited:
    """A resolved citation as shown: the reference's number and key."""

    number: int
    key: str
    locator: Locator | None


class CitationRenderer:
    """
    Numbers and renders the citations of one body.

    References are numbered by first citation, and a repeat citation reuses
    the number. Each use of a key gets an anchor, `cite-<key>-<n>`, which
    the reference list links back to. What is resolved is appended to
    `report.citations` (the references' own keys, one per use); unknown
    keys as typed and the text of unreadable citations go to
    `report.unknown_citations`.
    """

    def __init__(self, known_keys, report):
        self.report = report
        self.exact_keys = set(known_keys)
        self.folded_keys = {}
        for key in sorted(self.exact_keys):
            self.folded_keys.setdefault(key.casefold(), key)
        self.numbers = {}
        self.uses = {}

    def resolve(self, typed):
        """The key of the reference `typed` names, or None."""
        if typed in self.exact_keys:
            return typed
        return self.folded_keys.get(typed.casefold())

    def render(self, run):
        """Superscript HTML for a run of adjacent citations, `[@a][@b]`."""
        cited, problems = [], []
        for bracket in CITATION_BRACKET.finditer(run):
            reported = False
            for item in parse_citation(bracket.group()):
                if isinstance(item, Unreadable):
                    if not reported:
                        self.report.unknown_citations.append(bracket.group())
                        reported = True
                    problems.append(
                        problem_marker(
                            item.text or bracket.group(),
                            f"This citation cannot be read: {item.reason}.",
                        )
                    )
                    continue
                key = self.resolve(item.key)
                if key is None:
                    self.report.unknown_citations.append(item.key)
                    problems.append(
                        problem_marker(
                            f"@{item.key}?",
                            f"No reference has the key “{item.key}”.",
                        )
                    )
                    continue
                number = self.numbers.setdefault(key, len(self.numbers) + 1)
                shown = _Cited(number, key, item.locator)
                if shown not in cited:
                    cited.append(shown)
        # Sorted by number; a stable sort keeps locators in the order typed.
        cited.sort(key=lambda shown: (shown.number, shown.locator is not None))
        parts = [self.part_html(group) for group in consecutive_runs(cited)]
        if not parts:
            return staff_only(f'<sup class="citation">{",".join(problems)}</sup>')
        problems_html = "".join(staff_only(f",{problem}") for problem in problems)
        return f'<sup class="citation">{",".join(parts)}{problems_html}</sup>'

    def render_in_link(self, run):
        """A citation inside a link's text cannot link: report it."""
        for bracket in CITATION_BRACKET.finditer(run):
            self.report.unknown_citations.append(bracket.group())
        return staff_only(
            problem_marker(
                run,
                "A citation cannot be inside a link's text: move it after the link.",
            )
        )

    def use(self, shown):
        """The anchor id for one more use of `shown`'s reference."""
        use = self.uses[shown.key] = self.uses.get(shown.key, 0) + 1
        self.report.citations.append(shown.key)
        return f"cite-{escape(shown.key)}-{use}"

    def anchor(self, shown, anchor_id):
        label = f"Reference {shown.number}"
        text = str(shown.number)
        if shown.locator is not None:
            label += f", {shown.locator.spoken}"
            text += f"({shown.locator.short})"
        return (
            f'<a href="#ref-{escape(shown.key)}" id="{anchor_id}" '
            f'aria-label="{escape(label)}">{escape(text)}</a>'
        )

    def part_html(self, group):
        """One number, or a range "1–3" whose ends link to their references."""
        ids = [self.use(shown) for shown in group]
        if len(group) == 1:
            return self.anchor(group[0], ids[0])
        first, last = group[0], group[-1]
        html = f"{self.anchor(first, ids[0])}{RANGE_DASH}{self.anchor(last, ids[-1])}"
        # The numbers inside the range have no text of their own; their
        # anchors are spans around it, so that each reference's way back
        # ("↩") still lands on the place that cites it.
        for anchor_id in reversed(ids[1:-1]):
            html = f'<span id="{anchor_id}">{html}</span>'
        title = f"References {first.number} to {last.number}"
        return f'<span class="citation-range" title="{title}">{html}</span>'


def consecutive_runs(cited):
    """
    Group sorted citations for display: three or more consecutive numbers
    without locators form one range; everything else stands alone.
    """
    groups, index = [], 0
    while index < len(cited):
        end = index
        while (
            end + 1 < len(cited)
            and cited[end].locator is None
            and cited[end + 1].locator is None
            and cited[end + 1].number == cited[end].number + 1
        ):
            end += 1
        if end - index + 1 >= SHORTEST_RANGE:
            groups.append(cited[index : end + 1])
            index = end + 1
        else:
            groups.append(cited[index : index + 1])
            index += 1
    return groups


def problem_marker(text, reason):
    """A marked citation problem, for staff: `text` with `reason` on hover."""
    return (
        f'<span class="citation-missing" title="{escape(reason)}">{escape(text)}</span>'
    )


def problem_label(entry):
    """
    How the admin names a stored citation problem: an unknown key as
    `[@key]`; an unreadable citation as typed, brackets included, followed
    by what is wrong with it.
    """
    if not entry.startswith("["):
        return f"[@{entry}]"
    if CITATION_BRACKET.fullmatch(entry):
        for item in parse_citation(entry):
            if isinstance(item, Unreadable):
                return f"{entry} ({item.reason})"
    return entry
