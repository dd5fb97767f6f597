"""
How long glossary auto-linking takes on a long article and a large glossary.

Articles are rendered and linked when they are saved, so the cost of linking
is paid on every save and on every relink after a glossary change. This
benchmark builds, in memory and without a database, a synthetic glossary of
10,000 terms with 30,000 aliases and a 10,000-word Markdown article, then
times:

- building the matcher (the Aho-Corasick automaton) from the 40,000 phrases;
- rendering the article to sanitised HTML with linking, and without it;
- `Matcher.find` against a single regular-expression alternation of every
  phrase, both run over the same plain text;
- render and link for glossaries of 1,000 and 10,000 terms and for articles
  of 2,500, 5,000 and 10,000 words, to show that the cost follows the length
  of the text and not the size of the glossary.

Everything is generated from a fixed seed, so two runs on the same machine
time the same work. Django must be set up before this module is imported
(`python -m bench.linking` does it).
"""

import argparse
import os
import random
import re
import statistics
import sys
from dataclasses import dataclass
from functools import partial

from django.utils.text import slugify

from bench.harness import (
    FakeWords,
    Floors,
    Stopwatch,
    Table,
    load_average,
    measure,
    median,
    median_p95,
    ms,
    other_spellings,
    ratio,
    timed,
)
from glossary.linking import BodyLinker, Matcher, TermInfo, lookup_key
from glossary.markup import parse, render_body, render_markdown

SEED = 20240611
TERM_COUNT = 10_000
ALIAS_COUNT = 30_000
ARTICLE_WORDS = 10_000
# Roughly one word in ten of a specialist article names a glossary term.
MENTION_SHARE = 0.10
RUNS, WARMUPS = 15, 2
# One pass of the regular expression takes seconds, not milliseconds; a few
# runs are enough to show the order of magnitude and keep the whole
# benchmark within about two minutes.
REGEX_RUNS = 3
FLOOR_MS = 50.0

ONSETS = (
    "b br c ch cl d dr f fl g gr h k l m n p ph pl pr qu r s sc st sh t th tr v z"
).split()
VOWELS = "a e i o u y a e i o ae io ou".split()
CODAS = ["", "", "", "", "n", "r", "l", "s", "x", "m", "t", "nd", "st"]
SUFFIXES = (
    "in ine ase ol ide itis emia osis mab nib stat gen cyte kine oma ate"
).split()
HEAD_NOUNS = (
    "receptor kinase syndrome factor antagonist inhibitor cell pathway "
    "deficiency protein disease antibody ligand agonist channel complex"
).split()
FILLER = (
    "the of and to in a is that for it as with was on be by this are which "
    "from at or an have not but has had were been their more also can when "
    "there other such these may into than most some only its over after two "
    "between both each where while during about under however patients "
    "studies results treatment effect response levels increased reduced "
    "clinical early later small large common rare shown found reported "
    "observed associated higher lower often usually several many first "
    "second new recent known whether although because therefore thus cases "
    "blood tissue dose trial group control weeks months years risk signal "
    "expression activity function role evidence data analysis review model "
    "change course onset severe mild chronic acute local systemic"
).split()
FILLER_KEYS = frozenset(FILLER)


@dataclass
class Glossary:
    terms: list  # TermInfo, ids 1..n
    names: list  # (name, term_id)
    aliases: list  # (alias, term_id)

    @property
    def phrases(self):
        # Names first, as Term.objects.build_matcher passes them.
        return [*self.names, *self.aliases]

    def first(self, count):
        """The glossary cut down to its first `count` terms."""
        return Glossary(
            self.terms[:count],
            [pair for pair in self.names if pair[1] <= count],
            [pair for pair in self.aliases if pair[1] <= count],
        )


class Words(FakeWords):
    """Made-up vocabulary that reads like biomedical terms."""

    def __init__(self, rng):
        super().__init__(rng, ONSETS, VOWELS, CODAS)

    def word(self):
        stem = self.stem(2, 3)
        return stem + self.rng.choice(SUFFIXES) if self.rng.random() < 0.6 else stem

    def term_name(self):
        rng = self.rng
        kind = rng.random()
        if kind < 0.38:
            word = self.word()
            return word.capitalize() if rng.random() < 0.2 else word
        if kind < 0.62:
            if rng.random() < 0.7:
                return f"{self.word()} {rng.choice(HEAD_NOUNS)}"
            return f"{self.word()} {self.word()}"
        if kind < 0.77:
            return f"{self.letters(2, 4)}-{self.greek()}"
        if kind < 0.93:
            number = rng.randint(1, 40)
            joiner = rng.choice(["-", "", "-"])
            return f"{self.letters(2, 4)}{joiner}{number}"
        greek = self.greek()
        return f"{self.word()}-{greek} {rng.choice(HEAD_NOUNS)}"

    def alias_for(self, name):
        """A plausible other name for the term called `name`."""
        rng = self.rng
        choices = [self.word, lambda: f"{self.word()} {rng.choice(HEAD_NOUNS)}"]
        # "TNF-alpha" and "TNFα" for "TNF-α"; "VR" for "velostrin receptor".
        choices += other_spellings(name)
        words = name.split()
        if len(words) > 1:
            # "velostrin receptor" is also "VR2".
            choices.append(
                lambda: "".join(w[0] for w in words).upper() + str(rng.randint(1, 9))
            )
        if re.fullmatch(r"[A-Z]+-?\d+", name):
            # "IL-17" is also "IL17" and "interleukin-17".
            number = re.search(r"\d+", name).group()
            choices.append(
                lambda: (
                    name.replace("-", "")
                    if "-" in name
                    else name.replace(number, f"-{number}")
                )
            )
            choices.append(lambda: f"{self.word()}-{number}")
        return self.pick(choices)


def build_glossary(rng, term_count=TERM_COUNT, alias_count=ALIAS_COUNT):
    """
    A glossary in which every name and alias is distinct once folded, so the
    matcher and the regular expression are given exactly the same phrases.
    """
    words = Words(rng)
    taken = set(FILLER_KEYS)
    slugs = set()

    def claim(text):
        key = lookup_key(text)
        if not key or key in taken:
            return False
        taken.add(key)
        return True

    terms, names = [], []
    for term_id in range(1, term_count + 1):
        name = words.term_name()
        while not claim(name):
            name = words.term_name()
        slug = slugify(name) or "term"
        if slug in slugs:
            slug = f"{slug}-{term_id}"
        slugs.add(slug)
        definition = sentence(rng, rng.randint(14, 30))
        terms.append(
            TermInfo(term_id, name, slug, definition, url=f"/glossary/{slug}/")
        )
        names.append((name, term_id))

    # Every term has at least one alias; the rest go to random terms, so some
    # have one alias and some half a dozen, three on average.
    owners = [*range(1, term_count + 1)]
    owners += [rng.randint(1, term_count) for _ in range(alias_count - term_count)]
    aliases = []
    for term_id in owners:
        name = terms[term_id - 1].name
        alias = words.alias_for(name)
        while not claim(alias):
            alias = words.alias_for(name) if rng.random() < 0.5 else words.word()
        aliases.append((alias, term_id))
    return Glossary(terms, names, aliases)


def sentence(rng, length):
    words = [rng.choice(FILLER) for _ in range(length)]
    return " ".join(words).capitalize() + "."


@dataclass
class Article:
    source: str
    words: int
    mention_words: int
    wiki_links: int
    citations: int
    headings: int
    paragraphs: int


def build_article(rng, glossary, target_words, reference_keys):
    """
    A Markdown article of about `target_words` words: headings, paragraphs
    of filler sentences in which about MENTION_SHARE of the words name
    glossary terms, a few dozen `[[Name]]` links and `[@key]` citations.
    """
    phrases = glossary.phrases
    names = [name for name, _ in glossary.names]
    # A mention is often several words long, so mentions are placed less
    # often than MENTION_SHARE for that share of the words to be in them.
    mean_length = statistics.fmean(len(text.split()) for text, _ in phrases)
    mention_chance = MENTION_SHARE / (mean_length * (1 - MENTION_SHARE) + MENTION_SHARE)
    # A few dozen of each per 10,000 words, whatever the article's length;
    # citations are placed per sentence, of 14 words on average.
    wiki_chance = 36 / 10_000
    citation_chance = 36 / 10_000 * 14
    lines = []
    count = mentions = wiki = cites = headings = paragraphs = next_heading = 0
    while count < target_words:
        if paragraphs == next_heading:
            next_heading += rng.randint(6, 10)
            title = [rng.choice(FILLER) for _ in range(rng.randint(2, 5))]
            if rng.random() < 0.5:
                title.append(rng.choice(names))
            level = "#" * rng.choice([1, 2, 2, 3])
            lines += [f"{level} {' '.join(title).capitalize()}", ""]
            count += len(title)
            headings += 1
        sentences = []
        for _ in range(rng.randint(4, 8)):
            parts = []
            for _ in range(rng.randint(8, 20)):
                roll = rng.random()
                if roll < mention_chance:
                    text = rng.choice(phrases)[0]
                    if rng.random() < 0.2:
                        text = text.lower()
                    if rng.random() < 0.03:
                        text = f"*{text}*"
                    parts.append(text)
                    mentions += len(text.split())
                    count += len(text.split())
                elif roll < mention_chance + wiki_chance:
                    parts.append(wiki_link(rng, names))
                    count += len(parts[-1].split())
                    wiki += 1
                else:
                    parts.append(rng.choice(FILLER))
                    count += 1
            text = " ".join(parts)
            text = text[0].upper() + text[1:]
            if rng.random() < citation_chance:
                text += " " + citation(rng, reference_keys)
                cites += 1
            sentences.append(text + ".")
        # Soft line breaks inside a paragraph, as editors type them.
        lines.append(wrap(" ".join(sentences), 88))
        lines.append("")
        paragraphs += 1
    source = "\n".join(lines)
    return Article(
        source, len(source.split()), mentions, wiki, cites, headings, paragraphs
    )


def wiki_link(rng, names):
    roll = rng.random()
    if roll < 0.1:
        return "[[No such entry]]"
    name = rng.choice(names)
    if roll < 0.3:
        return f"[[{name}|{rng.choice(FILLER)} {rng.choice(FILLER)}]]"
    return f"[[{name}]]"


def citation(rng, reference_keys):
    keys = rng.sample(reference_keys, rng.choice([1, 1, 1, 2]))
    if rng.random() < 0.1:
        keys[0] = "unknown2001"
    return "[" + "; ".join(f"@{key}" for key in keys) + "]"


def wrap(text, width):
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def plain_text(source):
    """
    The text runs the linker scans: each inline token's text, soft breaks
    as newlines, blocks separated by blank lines.
    """
    blocks = []
    for token in parse(source):
        if token.type != "inline" or not token.children:
            continue
        blocks.append(
            "".join(
                "\n" if child.type == "softbreak" else child.content
                for child in token.children
                if child.type in {"text", "softbreak"}
            )
        )
    return "\n\n".join(blocks)


def build_regex(glossary):
    phrases = sorted((text for text, _ in glossary.phrases), key=len, reverse=True)
    alternation = "|".join(re.escape(text) for text in phrases)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.linking")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per case")
    options = parser.parse_args(argv)
    runs = max(1, options.runs)
    watch = Stopwatch()
    rng = random.Random(options.seed)

    glossary = build_glossary(rng)
    reference_keys = [f"{rng.choice(FILLER[60:])}{2000 + i}" for i in range(24)]
    article = build_article(rng, glossary, ARTICLE_WORDS, reference_keys)
    text = plain_text(article.source)

    print("Glossary linking benchmark")
    print(f"Python {sys.version.split()[0]}, seed {options.seed}, {runs} runs")
    # Other work on the machine widens the spread of every figure below.
    print(f"Load average at start: {load_average()} ({os.cpu_count()} CPUs)")
    print(
        f"Glossary: {len(glossary.terms):,} terms, {len(glossary.aliases):,} "
        f"aliases, {len(glossary.phrases):,} phrases"
    )
    samples = [glossary.terms[i].name for i in range(0, 40, 4)]
    print(f"  names e.g.: {', '.join(samples)}")
    samples = [glossary.aliases[i][0] for i in range(0, 40, 4)]
    print(f"  aliases e.g.: {', '.join(samples)}")
    print(
        f"Article: {article.words:,} words, {len(article.source):,} characters, "
        f"{article.headings} headings, {article.paragraphs} paragraphs, "
        f"{article.mention_words / article.words:.1%} of words in term mentions, "
        f"{article.wiki_links} [[wiki links]], {article.citations} citations"
    )

    def make_matcher(part=glossary):
        return Matcher(part.terms, part.phrases)

    def render_and_link(source, matcher):
        linker = BodyLinker(matcher, reference_keys)
        html = render_body(source, linker)
        return html, linker

    time_case = partial(measure, runs=runs, warmups=WARMUPS)
    build = time_case(make_matcher)
    matcher = make_matcher()
    link = time_case(partial(render_and_link, article.source, matcher))
    plain = time_case(partial(render_markdown, article.source))
    find = time_case(partial(matcher.find, text))

    regex, compile_ms = timed(build_regex, glossary)
    scan = measure(lambda: sum(1 for _ in regex.finditer(text)), runs=REGEX_RUNS)

    # A focused article names a few hundred terms again and again; only a
    # term's first mention is linked, so it emits far fewer links.
    focused = build_article(
        random.Random(options.seed + 3),
        glossary.first(200),
        ARTICLE_WORDS,
        reference_keys,
    )
    focused_link = time_case(partial(render_and_link, focused.source, matcher))

    html, linker = render_and_link(article.source, matcher)
    focused_html, focused_linker = render_and_link(focused.source, matcher)
    found = {(start, end) for start, end, _ in matcher.find(text)}
    regex_found = {match.span() for match in regex.finditer(text)}
    only_matcher = found - regex_found

    table = Table(
        f"Timings (ms; median and p95 of {runs} runs after {WARMUPS} warm-ups)",
        ["case", "median", "p95", "notes"],
        left=(0, 3),
    )
    table.add(
        "matcher build",
        *median_p95(build),
        f"{len(glossary.terms):,} terms, "
        f"{len(matcher.automaton) + len(matcher.short_keys):,} keys "
        "(every written form)",
    )
    table.add(
        "render and link",
        *median_p95(link),
        f"{len(html):,} chars of HTML, {len(linker.report.linked_term_ids)} "
        f"terms linked, {len(linker.report.citations)} citations, "
        f"{len(linker.report.unresolved_links)} unresolved",
    )
    table.add(
        "render and link, focused",
        *median_p95(focused_link),
        f"{focused.words:,} words naming 200 terms; "
        f"{len(focused_linker.report.linked_term_ids)} terms linked, "
        f"{len(focused_html):,} chars of HTML",
    )
    table.add(
        "render only (no linking)",
        *median_p95(plain),
        "render_markdown, same article",
    )
    table.add(
        "linking overhead",
        ms(median(link) - median(plain)),
        "",
        "difference of the two medians",
    )
    table.add(
        "matcher.find on plain text",
        *median_p95(find),
        f"{len(text):,} chars, {len(found):,} matches",
    )
    table.add(
        "regex compile",
        ms(compile_ms),
        "",
        f"one alternation of {len(glossary.phrases):,} phrases, once",
    )
    table.add(
        "regex finditer on plain text",
        *median_p95(scan),
        f"{REGEX_RUNS} runs, no warm-up; {len(regex_found):,} matches",
    )
    table.print()
    print(
        f"\nregex finditer / matcher.find (medians): "
        f"{ratio(median(scan), median(find), places=0)} slower"
    )
    broken = sum("\n" in text[start:end] for start, end in only_matcher)
    print(
        f"Matches found by only one of them: {len(only_matcher)} by the matcher "
        f"({broken} are names broken over two source lines, which the regex "
        f"misses because it matches their spaces literally), "
        f"{len(regex_found - found)} by the regex (abbreviations in capitals "
        "that the article writes in lower case, which the matcher leaves alone)."
    )

    # Mentions drawn from the first 1,000 terms only, so both glossaries link
    # exactly the same words and the rows differ only in glossary size.
    small = glossary.first(1_000)
    shared = build_article(
        random.Random(options.seed + 1), small, ARTICLE_WORDS, reference_keys
    )
    scaling = Table(
        "Scaling: render and link (ms)",
        ["case", "terms", "words", "median", "p95", "ms per 1k words"],
    )

    def scaling_row(case, part, sample, part_matcher):
        samples = time_case(partial(render_and_link, sample.source, part_matcher))
        scaling.add(
            case,
            f"{len(part.terms):,}",
            f"{sample.words:,}",
            *median_p95(samples),
            f"{median(samples) / sample.words * 1000:.2f}",
        )

    for part in (small, glossary):
        scaling_row("glossary size", part, shared, make_matcher(part))
    for words in (2_500, 5_000, 10_000):
        sized = build_article(
            random.Random(options.seed + 2), glossary, words, reference_keys
        )
        scaling_row("article length", glossary, sized, matcher)
    scaling.print()

    floors = Floors()
    floors.at_most(
        f"render and link median <= {FLOOR_MS:.0f} ms", median(link), FLOOR_MS
    )
    print(f"\nTotal benchmark time: {watch.total():.1f} s")
    return floors.exit_status
