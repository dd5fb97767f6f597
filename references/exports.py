"""
References written out for reference managers: BibTeX (biblatex), RIS and
CSL-JSON, each a pure function of a list of references.

Names are read from the Vancouver lists editors type ("McInnes IB, Schett
G") by `entries.vancouver_names`, the inverse of how a pasted entry is read,
so that a file written here and pasted back gives the same fields.
"""

import re
from dataclasses import dataclass

from editorial.json_text import html_safe_json
from editorial.links import link_address
from references.entries import vancouver_names
from references.models import MONTH_ABBREVIATIONS, Reference

Kind = Reference.Kind

# Characters with a meaning in LaTeX, written so that they print as
# themselves. Braces are escaped only in pairs: BibTeX counts \{ as a
# brace too, so a lone one gets the text command instead.
LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "{": r"\{",
    "}": r"\}",
}
LONE_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
# Marks a word to be kept in its capitals, before escaping; private-use
# characters, which no title holds.
PROTECT_OPEN, PROTECT_CLOSE = "\ue000", "\ue001"

# A kind not listed (a row older than its kind's choices) gets each
# format's general type: misc, GEN, document.
BIBTEX_TYPES = {
    Kind.JOURNAL_ARTICLE: "article",
    Kind.BOOK: "book",
    Kind.BOOK_CHAPTER: "incollection",
    Kind.WEB_PAGE: "online",
}
# Where each kind's container goes: the journal, the book a chapter is in,
# the site a page is on.
BIBTEX_CONTAINERS = {
    Kind.JOURNAL_ARTICLE: "journal",
    Kind.BOOK_CHAPTER: "booktitle",
    Kind.WEB_PAGE: "organization",
}
RIS_TYPES = {
    Kind.JOURNAL_ARTICLE: "JOUR",
    Kind.BOOK: "BOOK",
    Kind.BOOK_CHAPTER: "CHAP",
    Kind.WEB_PAGE: "ELEC",
}
CSL_TYPES = {
    Kind.JOURNAL_ARTICLE: "article-journal",
    Kind.BOOK: "book",
    Kind.BOOK_CHAPTER: "chapter",
    Kind.WEB_PAGE: "webpage",
}
PAGE_RANGE = re.compile(r"^\s*(\S+?)\s*[-–—]+\s*(\S+)\s*$")


def latex_escaped(text):
    """`text` as a BibTeX field value that prints it, with braces balanced."""
    lone = lone_brace_positions(text)
    return "".join(
        LONE_BRACES[char] if position in lone else LATEX_ESCAPES.get(char, char)
        for position, char in enumerate(text)
    ).translate({ord(PROTECT_OPEN): "{", ord(PROTECT_CLOSE): "}"})


def lone_brace_positions(text):
    """Positions of the braces in `text` that have no partner."""
    opened, lone = [], set()
    for position, char in enumerate(text):
        if char == "{":
            opened.append(position)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                lone.add(position)
    return lone | set(opened)


def protected_title(title):
    """
    The title with each word holding a capital in braces ({TNF}, {Crohn's}),
    so that a style lowering titles keeps what was capitalised on purpose;
    the first letter of the title is the style's to change.
    """
    words = re.split(r"(\s+)", title)
    return "".join(
        f"{PROTECT_OPEN}{word}{PROTECT_CLOSE}"
        if any(char.isupper() for char in (word[1:] if n == 0 else word))
        else word
        for n, word in enumerate(words)
    )


def verbatim(text):
    """A DOI or URL, which biblatex reads as it is, with no brace to count."""
    return text.replace("{", "%7B").replace("}", "%7D")


def web_address_or_note(reference):
    """
    (url, note): the reference's URL where reference managers link it,
    or, when it is no web address (imported, say), in a note, as text.
    """
    if link_address(reference.url):
        return reference.url, ""
    return "", reference.url


def page_parts(pages):
    """(first, last) page: "429-442" and "429–442" give ("429", "442")."""
    found = PAGE_RANGE.match(pages)
    return (found[1], found[2]) if found else (pages.strip(), "")


def people(text):
    """The names of an authors or editors list, and whether "et al" ends it."""
    names = vancouver_names(text)
    return [name for name in names if not name.is_et_al], any(
        name.is_et_al for name in names
    )


# BibTeX ----------------------------------------------------------------------


def bibtex_names(text):
    names, has_more = people(text)
    written = []
    for name in names:
        if not name.is_person:
            # Braced, so that a body's name is one family name.
            written.append(f"{{{latex_escaped(name.family)}}}")
            continue
        parts = [name.family, name.suffix, name.given]
        written.append(", ".join(latex_escaped(part) for part in parts if part))
    if has_more:
        written.append("others")
    return " and ".join(written)


def bibtex_fields(reference):
    """(name, value as written in the file) for each field the reference has."""
    fields = [
        ("author", bibtex_names(reference.authors)),
        ("title", latex_escaped(protected_title(reference.title))),
    ]
    container_field = BIBTEX_CONTAINERS.get(reference.kind)
    if container_field and reference.container:
        fields.append((container_field, latex_escaped(reference.container)))
    if reference.kind == Kind.BOOK_CHAPTER:
        fields.append(("editor", bibtex_names(reference.editors)))
    if reference.kind in (Kind.BOOK, Kind.BOOK_CHAPTER):
        fields.append(("edition", latex_escaped(reference.edition)))
    fields.append(("publisher", latex_escaped(reference.publisher)))
    if reference.year:
        fields.append(("year", str(reference.year)))
        if reference.month:
            fields.append(("month", MONTH_ABBREVIATIONS[reference.month - 1].lower()))
        if reference.month and reference.day:
            date = f"{reference.year}-{reference.month:02d}-{reference.day:02d}"
            fields.append(("date", date))
    first, last = page_parts(reference.pages)
    fields += [
        ("volume", latex_escaped(reference.volume)),
        ("number", latex_escaped(reference.issue)),
        ("pages", latex_escaped(f"{first}--{last}" if last else first)),
        ("doi", verbatim(reference.doi)),
    ]
    if reference.pmid:
        fields += [
            ("pmid", reference.pmid),
            ("eprint", reference.pmid),
            ("eprinttype", "pubmed"),
        ]
    url, note = web_address_or_note(reference)
    fields += [("url", verbatim(url)), ("note", latex_escaped(note))]
    if reference.accessed_on:
        fields.append(("urldate", reference.accessed_on.isoformat()))
    return [(name, value) for name, value in fields if value]


def bibtex_entry(reference):
    lines = [f"@{BIBTEX_TYPES.get(reference.kind, 'misc')}{{{reference.key},"]
    for name, value in bibtex_fields(reference):
        # A month is a macro (jun), which braces would make a word.
        written = value if name == "month" else f"{{{value}}}"
        lines.append(f"  {name} = {written},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_bibtex(references):
    """The references as biblatex entries, UTF-8 text."""
    return "\n".join(bibtex_entry(reference) for reference in references)


# RIS -------------------------------------------------------------------------


def ris_name(name):
    if not name.is_person:
        return name.family
    return ", ".join(part for part in (name.family, name.given, name.suffix) if part)


def ris_date(year, month=None, day=None):
    """RIS dates read YYYY/MM/DD, with what is unknown left empty."""
    return f"{year}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}"


def ris_lines(reference):
    lines = [("TY", RIS_TYPES.get(reference.kind, "GEN"))]
    lines += [("AU", ris_name(name)) for name in people(reference.authors)[0]]
    lines.append(("TI", reference.title))
    if reference.kind != Kind.BOOK:
        lines.append(("T2", reference.container))
    if reference.kind == Kind.BOOK_CHAPTER:
        lines += [("A2", ris_name(name)) for name in people(reference.editors)[0]]
    if reference.kind in (Kind.BOOK, Kind.BOOK_CHAPTER):
        lines.append(("ET", reference.edition))
    lines.append(("PB", reference.publisher))
    if reference.year:
        lines.append(("PY", str(reference.year)))
        if reference.month:
            lines.append(
                ("DA", ris_date(reference.year, reference.month, reference.day))
            )
    first, last = page_parts(reference.pages)
    lines += [
        ("VL", reference.volume),
        ("IS", reference.issue),
        ("SP", first),
        ("EP", last),
        ("DO", reference.doi),
    ]
    if reference.pmid:
        # An accession number means a PMID only with the database named.
        lines += [("AN", reference.pmid), ("DB", "PubMed")]
    url, note = web_address_or_note(reference)
    lines += [("UR", url), ("N1", note)]
    if reference.accessed_on:
        accessed = reference.accessed_on
        lines.append(("Y2", ris_date(accessed.year, accessed.month, accessed.day)))
    lines.append(("ER", ""))
    # A value is one line: a line break would start a tag of its own.
    return [
        f"{tag}  - {' '.join(value.split())}"
        for tag, value in lines
        if value or tag == "ER"
    ]


def to_ris(references):
    """The references as RIS records, UTF-8 text."""
    return "".join("\n".join(ris_lines(reference)) + "\n\n" for reference in references)


# CSL-JSON --------------------------------------------------------------------


def csl_names(text):
    return [
        {
            "family": name.family,
            "given": name.given,
            **({"suffix": name.suffix} if name.suffix else {}),
        }
        if name.is_person
        else {"literal": name.family}
        for name in people(text)[0]
    ]


def csl_item(reference):
    """The reference as one CSL-JSON item, as citeproc processors read it."""
    item = {
        "id": reference.key,
        "type": CSL_TYPES.get(reference.kind, "document"),
        "title": reference.title,
        "author": csl_names(reference.authors),
    }
    if reference.kind != Kind.BOOK:
        item["container-title"] = reference.container
    if reference.kind == Kind.BOOK_CHAPTER:
        item["editor"] = csl_names(reference.editors)
    if reference.kind in (Kind.BOOK, Kind.BOOK_CHAPTER):
        item["edition"] = reference.edition
    item["publisher"] = reference.publisher
    if reference.year:
        parts = [
            reference.year,
            reference.month,
            reference.day if reference.month else None,
        ]
        item["issued"] = {"date-parts": [[part for part in parts if part]]}
    item.update(
        {
            "volume": reference.volume,
            "issue": reference.issue,
            "page": reference.pages,
            "DOI": reference.doi,
            "PMID": reference.pmid,
        }
    )
    item["URL"], item["note"] = web_address_or_note(reference)
    if reference.accessed_on:
        accessed = reference.accessed_on
        item["accessed"] = {
            "date-parts": [[accessed.year, accessed.month, accessed.day]]
        }
    return {name: value for name, value in item.items() if value}


def to_csl_json(references):
    """
    The references as a CSL-JSON array, UTF-8 text, with "<", ">" and "&"
    escaped so that no browser could read it as HTML.
    """
    items = [csl_item(reference) for reference in references]
    return html_safe_json(items, ensure_ascii=False, indent=2) + "\n"


# Formats ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    label: str
    content_type: str
    write: object  # a function of a list of references, giving text


EXPORT_FORMATS = [
    ExportFormat("bib", "BibTeX", "application/x-bibtex; charset=utf-8", to_bibtex),
    ExportFormat(
        "ris", "RIS", "application/x-research-info-systems; charset=utf-8", to_ris
    ),
    ExportFormat(
        "json",
        "CSL-JSON",
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        to_csl_json,
    ),
]
FORMATS_BY_EXTENSION = {export.extension: export for export in EXPORT_FORMATS}
