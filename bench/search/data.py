"""
A synthetic glossary that reads like drug and cytokine vocabulary.

Names are made-up words built from syllables and drug-name stems
("velutamab", "crostinib"), cytokine-style abbreviations ("IL-17", "TGF-β",
"KRX-4B"), and phrases with a head noun ("dravokine receptor"). Aliases are
brand names ("Velorix"), development codes ("ABX-2041"), spellings of the
same name ("TGF-beta", "IL17") and initials. Every name and alias has a
search form (`compact`) that no other term shares, so a query made from one
of them has exactly one right answer.

Definitions are one sentence built from a fixed pattern, with about seven
content words drawn from a vocabulary of a few thousand medical-sounding
words. Each content word therefore occurs in a few hundred definitions, as a
real specialist word would, and never in a name.

Published articles mention terms the way real ones do: a few terms (the
common cytokines and drugs) in hundreds of articles, most in none. Each term
gets a popularity rank at random, and each article names a dozen or so
terms drawn with Zipf weights (1/rank), so mention counts follow a long
tail, as a real glossary's "Mentioned in" lists do.

Everything comes from one `random.Random`, so a seed gives the same data on
every database.
"""

import re
from dataclasses import dataclass, field
from itertools import accumulate

from django.utils.text import slugify

from bench.harness import FakeWords, other_spellings
from glossary.search import compact

ONSETS = (
    "b br c ch cl cr d dr f fl g gr h k kl l m n p pl pr qu r s sc st t tr v vr z x"
).split()
VOWELS = "a e i o u a e i o a o e ae io".split()
CODAS = ["", "", "", "", "n", "r", "l", "s", "x", "m", "t", "nd", "st", "k"]
# Stems of International Nonproprietary Names: antibodies, kinase
# inhibitors, fusion proteins, interleukins and so on.
DRUG_STEMS = (
    "mab zumab ximab umab limab tinib nib cept kinra leukin stat parin "
    "kine vec tide lukast imod cel sertib ciclib"
).split()
HEAD_NOUNS = (
    "receptor kinase antagonist inhibitor agonist ligand antibody factor "
    "pathway complex channel syndrome family"
).split()
BRAND_ENDINGS = "ix ra vo ex yn io ara eva ora itra ity aro exa ivo".split()

# Content words of definitions: medical-sounding, but made from roots and
# endings that the name syllables above do not produce.
ROOTS = (
    "fibr lymph neutr hepat nephr derm myel oste angi vascul synov epitheli "
    "endotheli keratin chondr thromb erythr leuk granul macrophag mucos "
    "pulmon cardi gastr enter col neur gli retin arthr cortic adren thym "
    "splen pancreat bronch alveol periton plasm ser hist eosin basophil "
    "mast dendrit monocyt platel sarc carcin melan immun inflamm cytotox "
    "apoptot phosphor glycos lipid sterol prostagl leukotr chemok integr "
    "adhes matr collagen elast fibrin complem antigen toler"
).split()
ENDINGS = (
    "al ic ous ar oid ocyte oblast ogenic olytic opathic otropic ocytic ular "
    "itic otic omal ative ogen"
).split()
PREFIXES = ["", "", "", "peri", "intra", "sub", "hyper", "auto", "trans", "para"]
ADJECTIVES = (
    "humanised recombinant selective oral subcutaneous intravenous long-acting "
    "bispecific reversible irreversible soluble membrane-bound secreted "
    "pegylated chimeric monoclonal small-molecule topical"
).split()
CLASSES = (
    "antibody inhibitor protein molecule cytokine agent fragment peptide "
    "receptor enzyme signal mediator"
).split()
VERBS = (
    "blocks activates binds reduces increases modulates suppresses enhances "
    "stabilises degrades"
).split()
SETTINGS = (
    "patients adults children trials models tissue lesions infection disease "
    "inflammation"
).split()

KINDS = {
    "drug": "drug",
    "cytokine": "cytokine",
    "family": "cytokine-family",
    "class": "drug-class",
    "cell": "cell",
    "disease": "disease",
    "concept": "concept",
}


@dataclass
class SyntheticTerm:
    name: str
    slug: str
    kind: str
    definition: str
    aliases: list = field(default_factory=list)


class Vocabulary(FakeWords):
    """Made-up names, aliases and definitions from one random generator."""

    def __init__(self, rng):
        super().__init__(rng, ONSETS, VOWELS, CODAS)
        words = {
            prefix + root + ending
            for prefix in PREFIXES
            for root in ROOTS
            for ending in ENDINGS
        }
        # Sorted first so that the sample depends on the seed only.
        self.content_words = rng.sample(sorted(words), 3000)

    def drug_word(self):
        """ "velutamab", "crostinib": a stem and a drug-name ending."""
        return self.stem() + self.rng.choice(DRUG_STEMS)

    def term_name(self):
        """A name and the kind of term it names."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.40:
            word = self.drug_word()
            return (word.capitalize() if rng.random() < 0.2 else word), "drug"
        if roll < 0.55:
            number = rng.randint(1, 40)
            joiner = rng.choice(["-", "-", ""])
            suffix = rng.choice(["", "", "", "A", "B", "R"])
            return f"{self.letters(2, 4)}{joiner}{number}{suffix}", "cytokine"
        if roll < 0.65:
            return f"{self.letters(2, 4)}-{self.greek()}", "cytokine"
        if roll < 0.85:
            noun = rng.choice(HEAD_NOUNS)
            kind = {"family": "family", "syndrome": "disease"}.get(noun, "concept")
            return f"{self.stem()}{rng.choice(['kine', 'in', 'ase'])} {noun}", kind
        if roll < 0.93:
            greek = self.greek()
            return f"{self.stem()}in-{greek} {rng.choice(HEAD_NOUNS)}", "concept"
        return f"{self.stem()}{rng.choice(['cyte', 'blast'])}", "cell"

    def brand(self):
        """ "Velorix": a capitalised brand-like word."""
        return (self.stem(1, 2) + self.rng.choice(BRAND_ENDINGS)).capitalize()

    def code(self):
        """ "ABX-2041": a development code."""
        return f"{self.letters(2, 3)}-{self.rng.randint(100, 9999)}"

    def alias_for(self, name):
        """A plausible other name for the term called `name`."""
        choices = [self.brand, self.brand, self.code]
        # "TGF-beta" and "TGFβ" for "TGF-β"; "DR" for "dravokine receptor".
        choices += other_spellings(name)
        match = re.fullmatch(r"([A-Z]+)-?(\d+[A-Z]?)", name)
        if match:
            # "IL-17" is also "IL17", and "IL17" is also "IL-17".
            letters, number = match.groups()
            choices.append(
                lambda: f"{letters}{number}" if "-" in name else f"{letters}-{number}"
            )
            choices.append(lambda: f"{self.stem()}kin-{number}")
        return self.pick(choices)

    def definition(self, kind):
        rng = self.rng
        content = rng.sample(self.content_words, 7)
        return (
            f"A {rng.choice(ADJECTIVES)} {content[0]} {rng.choice(CLASSES)} "
            f"that {rng.choice(VERBS)} {content[1]} and {content[2]} "
            f"{rng.choice(CLASSES)}s in {content[3]} {rng.choice(SETTINGS)}, "
            f"studied as a {kind.replace('-', ' ')} in {content[4]}, "
            f"{content[5]} and {content[6]} {rng.choice(SETTINGS)}."
        )


def build_glossary(rng, term_count, alias_count):
    """
    `term_count` terms with `alias_count` aliases between them: every term
    has one, the rest go to random terms. No two terms share a compact form.
    """
    vocabulary = Vocabulary(rng)
    owner_of = {}  # compact form -> index of the term it belongs to
    slugs = set()

    def claim(text, index):
        key = compact(text)
        if len(key) < 2 or owner_of.get(key, index) != index:
            return False
        owner_of[key] = index
        return True

    terms = []
    for index in range(term_count):
        name, kind = vocabulary.term_name()
        while not claim(name, index):
            name, kind = vocabulary.term_name()
        slug = slugify(name) or "term"
        if slug in slugs:
            slug = f"{slug}-{index}"
        slugs.add(slug)
        definition = vocabulary.definition(KINDS[kind])
        terms.append(SyntheticTerm(name, slug, KINDS[kind], definition))

    owners = [*range(term_count)]
    owners += [rng.randrange(term_count) for _ in range(alias_count - term_count)]
    for index in owners:
        term = terms[index]
        taken = {term.name, *term.aliases}
        alias = vocabulary.alias_for(term.name)
        while alias in taken or not claim(alias, index):
            alias = vocabulary.brand() if rng.random() < 0.5 else vocabulary.code()
        term.aliases.append(alias)
    return terms, vocabulary.content_words


def mention_articles(rng, term_count, article_count, mentions_per_article):
    """
    For each of `article_count` articles, the indexes of the terms it
    mentions (no repeats): about `mentions_per_article` each, drawn with
    Zipf weights over a random popularity order of the terms.
    """
    popularity_order = rng.sample(range(term_count), term_count)
    weights = accumulate(1 / rank for rank in range(1, term_count + 1))
    cumulative = list(weights)
    articles = []
    for _ in range(article_count):
        ranks = rng.choices(
            range(term_count), cum_weights=cumulative, k=mentions_per_article
        )
        articles.append(sorted({popularity_order[rank] for rank in ranks}))
    return articles
