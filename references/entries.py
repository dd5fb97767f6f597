"""
A reference pasted as a BibTeX or RIS entry, as reference managers, PubMed
and publishers' pages export them, read into the fields of a Reference.

BibTeX is read by bibtexparser (LaTeX accents such as {\\"o} decoded, braces
dropped, names split into their parts), RIS by rispy. Both give field
values as a form holds them (text), so that the editor sees them in the
form and checks them before saving.
"""

import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser import middlewares
from django.utils.text import slugify

from references.models import MONTH_ABBREVIATIONS, Reference

# Longer pastes are refused before parsing: an entry is a few hundred
# characters, a whole library exported by mistake can be megabytes.
ENTRY_MAX_LENGTH = 20_000

# The Reference fields an entry fills; what it does not give is emptied,
# so that filling twice never mixes two sources.
FILLED_FIELDS = [
    "kind",
    "authors",
    "title",
    "container",
    "editors",
    "publisher",
    "year",
    "month",
    "day",
    "edition",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "accessed_on",
]

Kind = Reference.Kind

BIBTEX_KINDS = {
    "article": Kind.JOURNAL_ARTICLE,
    "book": Kind.BOOK,
    "booklet": Kind.BOOK,
    "mvbook": Kind.BOOK,
    "manual": Kind.BOOK,
    "techreport": Kind.BOOK,
    "report": Kind.BOOK,
    "phdthesis": Kind.BOOK,
    "mastersthesis": Kind.BOOK,
    "thesis": Kind.BOOK,
    "inbook": Kind.BOOK_CHAPTER,
    "incollection": Kind.BOOK_CHAPTER,
    "inproceedings": Kind.BOOK_CHAPTER,
    "conference": Kind.BOOK_CHAPTER,
    "online": Kind.WEB_PAGE,
    "electronic": Kind.WEB_PAGE,
    "www": Kind.WEB_PAGE,
    "webpage": Kind.WEB_PAGE,
}
RIS_KINDS = {
    "JOUR": Kind.JOURNAL_ARTICLE,
    "JFULL": Kind.JOURNAL_ARTICLE,
    "EJOUR": Kind.JOURNAL_ARTICLE,
    "ABST": Kind.JOURNAL_ARTICLE,
    "INPR": Kind.JOURNAL_ARTICLE,
    "MGZN": Kind.JOURNAL_ARTICLE,
    "NEWS": Kind.JOURNAL_ARTICLE,
    "BOOK": Kind.BOOK,
    "EBOOK": Kind.BOOK,
    "EDBOOK": Kind.BOOK,
    "RPRT": Kind.BOOK,
    "THES": Kind.BOOK,
    "CHAP": Kind.BOOK_CHAPTER,
    "ECHAP": Kind.BOOK_CHAPTER,
    "CONF": Kind.BOOK_CHAPTER,
    "CPAPER": Kind.BOOK_CHAPTER,
    "ELEC": Kind.WEB_PAGE,
    "WEB": Kind.WEB_PAGE,
    "BLOG": Kind.WEB_PAGE,
}

MONTHS = {
    name: number
    for number, abbreviation in enumerate(MONTH_ABBREVIATIONS, start=1)
    for name in (abbreviation.lower(), str(number), f"{number:02d}")
}
# "2007/06/24/", "2007-06", "2007": year, then month and day if given.
DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2}))?)?")
# "12th", "2nd ed.": the number of an edition.
EDITION_NUMBER = re.compile(r"^(\d+)\s*(?:st|nd|rd|th)?(?:\s*ed(?:ition|\.)?)?$", re.I)
# A RIS line, however its tag and dash are spaced ("TY - JOUR", "AU  -").
RIS_LINE = re.compile(r"^\s*([A-Z][A-Z0-9])\s*-\s?(.*?)\s*$")
BIBTEX_START = re.compile(r"@\s*[A-Za-z]+\s*[{(]")
# The fields biblatex reads as they are written, not as LaTeX.
VERBATIM_FIELDS = {"doi", "url", "eprint"}
SUFFIXES = {"Jr", "Sr", "II", "III", "IV"}


class EntryError(ValueError):
    """Why a pasted text gives no reference, in words for the editor."""


@dataclass
class ReadEntry:
    """What one pasted entry says, as the reference form's fields."""

    format: str  # "BibTeX" or "RIS"
    # Every FILLED_FIELDS name, with "" for what the entry does not give.
    fields: dict = field(default_factory=dict)
    # A key in the site's style (mcinnes-2007), for a form with none typed.
    suggested_key: str = ""
    # How many entries the text held; the first was read.
    entry_count: int = 1


def read_entry(text):
    """The first BibTeX or RIS entry in `text`; EntryError if there is none."""
    text = (text or "").strip()
    if not text:
        raise EntryError(
            "Paste a BibTeX entry (it starts with @article{ or the like) or a "
            "RIS entry (its first line is TY  - JOUR or the like) first."
        )
    if len(text) > ENTRY_MAX_LENGTH:
        raise EntryError(
            f"The text is {len(text):,} characters long; paste one entry "
            f"(at most {ENTRY_MAX_LENGTH:,} characters)."
        )
    lines = text.splitlines()
    if any(RIS_LINE.match(line) and line.lstrip().startswith("TY") for line in lines):
        return read_ris(lines)
    if BIBTEX_START.search(text):
        return read_bibtex(text)
    raise EntryError(
        "This is neither a BibTeX entry (it starts with @ and a type, such as "
        "@article{) nor a RIS entry (its first line is TY  - and a type, such "
        "as TY  - JOUR)."
    )


def read_bibtex(text):
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            # Braced groups are kept through decoding so that a corporate
            # author ({World Health Organization}) stays one name.
            middlewares.LatexDecodingMiddleware(keep_braced_groups=True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    if not library.entries:
        if library.failed_blocks:
            raise EntryError(
                "The BibTeX entry could not be read: check that every { has "
                "its } and that fields are separated by commas."
            )
        raise EntryError("No BibTeX entry was found in the text.")
    entry = library.entries[0]
    values = {
        key.lower(): value if isinstance(value, list) else unbraced(value)
        for key, value in ((f.key, f.value) for f in entry.fields)
    }
    # An address or DOI is written as it is (biblatex reads it verbatim):
    # decoded as LaTeX, "%20" would start a comment and end it. Some
    # exporters escape its _ or % all the same (a\_b), which is undone.
    as_written = {
        f.key.lower(): re.sub(r"\\([_%&#$])", r"\1", unbraced(f.value))
        for f in bibtexparser.parse_string(text).entries[0].fields
        if f.key.lower() in VERBATIM_FIELDS
    }
    values.update(as_written)
    url = values.get("url", "")
    kind = BIBTEX_KINDS.get(entry.entry_type.lower())
    if kind is None:
        # @misc and the like: mostly web pages when they have an address.
        kind = Kind.WEB_PAGE if url else Kind.BOOK
    year, month, day = read_date(values.get("date", ""))
    if values.get("year"):
        year = read_date(values["year"])[0]
    if values.get("month"):
        month = read_month(values["month"])
    day = values.get("day", day)
    pmid = values.get("pmid", "")
    if not pmid and values.get("eprinttype", "").lower() == "pubmed":
        pmid = values.get("eprint", "")
    authors = bibtex_names(values.get("author", []))
    fields = {
        "kind": kind,
        "authors": vancouver(authors),
        "title": values.get("title", ""),
        "container": first_of(
            values,
            "journal",
            "journaltitle",
            "booktitle",
            "maintitle",
            "organization",
            "howpublished",
        ),
        "editors": vancouver(bibtex_names(values.get("editor", []))),
        "publisher": first_of(values, "publisher", "institution", "school"),
        "year": year,
        "month": month,
        "day": day,
        "edition": edition_number(values.get("edition", "")),
        "volume": values.get("volume", ""),
        "issue": first_of(values, "number", "issue"),
        "pages": page_range(values.get("pages", "")),
        "doi": values.get("doi", ""),
        "pmid": pmid,
        "url": url,
        "accessed_on": iso_date(values.get("urldate", "")),
    }
    return finished(
        "BibTeX", fields, authors, values.get("title", ""), len(library.entries)
    )


def read_ris(lines):
    # rispy reads only tags spaced as the standard has it ("TY  - ") and an
    # entry closed by its ER line, which pastes often lack.
    tidy = []
    for line in lines:
        tagged = RIS_LINE.match(line)
        if tagged:
            tidy.append(f"{tagged[1]}  - {tagged[2]}")
        elif tidy and line.strip():
            tidy[-1] += " " + line.strip()
    if tidy and not tidy[-1].startswith("ER"):
        tidy.append("ER  - ")
    try:
        records = rispy.loads("\n".join(tidy) + "\n")
    except Exception as error:  # rispy raises several kinds for bad input
        raise EntryError(f"The RIS entry could not be read: {error}") from error
    if not records:
        raise EntryError("No RIS entry was found in the text.")
    record = records[0]
    unknown = record.get("unknown_tag", {})
    ris_type = record.get("type_of_reference", "").upper()
    kind = RIS_KINDS.get(ris_type, Kind.JOURNAL_ARTICLE)
    authors = [
        ris_name(name)
        for name in [*record.get("first_authors", []), *record.get("authors", [])]
    ]
    editors = [
        ris_name(name)
        for name in [*record.get("secondary_authors", []), *unknown.get("ED", [])]
    ]
    title = record.get("title") or record.get("primary_title", "")
    # T2 is the journal of an article, the book of a chapter, the site of a
    # web page, and a series for a book, which the form has no place for.
    container = first_of(record, "secondary_title", "journal_name", "alternate_title3")
    if kind == Kind.BOOK:
        container = ""
    year, month, day = read_date(record.get("year") or record.get("date", ""))
    if not month:
        month, day = read_date(record.get("date", ""))[1:]
    start, end = record.get("start_page", ""), record.get("end_page", "")
    pages = f"{start}-{end}" if start and end else start or end
    databases = " ".join(
        [record.get("name_of_database", ""), record.get("database_provider", "")]
    )
    fields = {
        "kind": kind,
        "authors": vancouver(authors),
        "title": title,
        "container": container,
        "editors": vancouver(editors),
        "publisher": record.get("publisher", ""),
        "year": year,
        "month": month,
        "day": day,
        "edition": edition_number(record.get("edition", "")),
        "volume": record.get("volume", ""),
        "issue": record.get("number", ""),
        "pages": page_range(pages),
        "doi": record.get("doi", ""),
        "pmid": (
            record.get("accession_number", "")
            if re.search(r"pubmed|medline|nlm", databases, re.I)
            else ""
        ),
        "url": (record.get("urls") or [""])[0],
        "accessed_on": iso_date(record.get("access_date", "")),
    }
    return finished("RIS", fields, authors, title, len(records))


@dataclass
class Name:
    """A person's or body's name: family name and initials, Vancouver style."""

    family: str
    initials: str = ""  # and a suffix after them: "MJ Jr"

    def __str__(self):
        return f"{self.family} {self.initials}".strip()

    @property
    def is_et_al(self):
        return self.family == "et al" and not self.initials

    @property
    def is_person(self):
        """False for a body's name, which has no initials."""
        return bool(self.initials)

    @property
    def given(self):
        """Initials as cited: "IB" gives "I. B.", and "K-H" gives "K.-H."."""
        letters = self.initials.split(" ")[0]
        return re.sub(r"(\w)", r"\1. ", letters).replace(" -", "-").strip()

    @property
    def suffix(self):
        return self.initials.partition(" ")[2]


def bibtex_names(parts_list):
    """Names from bibtexparser's NameParts; "and others" ends them as et al."""
    names = []
    for parts in parts_list:
        family = unbraced(" ".join([*parts.von, *parts.last]))
        if family == "others" and not parts.first:
            names.append(Name("et al"))
            continue
        initials = initials_of(unbraced(" ".join(parts.first)))
        suffix = unbraced(" ".join(parts.jr)).replace(".", "")
        names.append(Name(family, f"{initials} {suffix}".strip()))
    return names


def ris_name(text):
    """A RIS name, "McInnes, Iain B." (or already "McInnes IB")."""
    family, comma, given = text.partition(",")
    if not comma:
        return Name(text.strip())
    given, __, suffix = given.partition(",")
    return Name(family.strip(), f"{initials_of(given)} {suffix.strip('. ')}".strip())


def initials_of(given_names):
    """ "Iain B." gives IB, "Jean-Pierre" JP."""
    return "".join(
        part[0].upper()
        for word in given_names.replace(".", " ").split()
        for part in word.split("-")
        if part
    )


def vancouver(names):
    """ "McInnes IB, Schett G", as the form's authors and editors read."""
    return ", ".join(str(name) for name in names)


def vancouver_names(text):
    """
    The names of a Vancouver list as `vancouver` writes it, read back:
    "van der Berg J, King MJ Jr, World Health Organization, et al". A name
    not ending in initials is a body's (a corporate author), kept whole.
    """
    names = []
    for written in (text or "").split(","):
        words = written.split()
        if not words:
            continue
        suffix = words.pop() if len(words) > 2 and words[-1] in SUFFIXES else ""
        if len(words) > 1 and is_initials(words[-1]):
            initials = f"{words[-1]} {suffix}".strip()
            names.append(Name(" ".join(words[:-1]), initials))
        else:
            names.append(Name(" ".join([*words, suffix]).strip()))
    return names


def unbraced(text):
    """`text` without BibTeX's protecting braces and with spacing tidied."""
    return " ".join(text.replace("{", "").replace("}", "").split())


def is_initials(word):
    """ "IB", "É" or "K-H": a few capitals, as Vancouver writes given names."""
    letters = word.replace("-", "")
    return len(letters) <= 4 and letters.isalpha() and letters.isupper()


def first_of(values, *keys):
    return next((values[key] for key in keys if values.get(key)), "")


def read_date(text):
    """(year, month, day) as text, each "" when not given."""
    found = DATE.match(text or "")
    if not found:
        return "", "", ""
    year, month, day = (part.lstrip("0") if part else "" for part in found.groups())
    return year, month, day


def read_month(text):
    """A month as its number: jun, June, 6 and 06 all give "6"; else ""."""
    number = MONTHS.get(text.strip().lower()[:3]) or MONTHS.get(text.strip())
    return str(number) if number else ""


def iso_date(text):
    """A date as the form's date fields read it, YYYY-MM-DD, or ""."""
    year, month, day = read_date(text)
    if not (year and month and day):
        return ""
    return f"{year}-{int(month):02d}-{int(day):02d}"


def edition_number(text):
    """ "12th" and "12th ed." give 12; other editions are kept as written."""
    found = EDITION_NUMBER.match(text.strip())
    return found[1] if found else text.strip()


def page_range(text):
    """Pages with a plain hyphen, as the form asks: 429--442 gives 429-442."""
    return re.sub(r"\s*(?:--|[–—-])\s*", "-", text.strip())


def finished(format_name, fields, authors, title, entry_count):
    """The ReadEntry, with a key in the site's style suggested."""
    if not (title or authors):
        raise EntryError(
            f"The {format_name} entry gives neither a title nor authors; "
            "check that the whole entry was pasted."
        )
    lead = next((name.family for name in authors if name.family != "et al"), "")
    if not lead:
        # A source without authors goes by its site or book, else its title.
        lead = next(iter((fields["container"] or title).split()), "")
    stem = slugify("-".join(part for part in (lead, fields["year"]) if part))
    return ReadEntry(
        format=format_name,
        fields={name: str(fields.get(name) or "") for name in FILLED_FIELDS},
        suggested_key=stem,
        entry_count=entry_count,
    )
