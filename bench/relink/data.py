"""
A site of patient articles and the glossary they link to, made up from a
fixed seed.

The glossary starts from the 125 real terms of tests/corpus/glossary.json
(Adalimumab with Humira, TNF-α with five other spellings, RA, MS, ALL...)
and adds made-up terms of the same kinds until it holds a few hundred:
antibody and kinase-inhibitor drugs with a brand name ("velutamab",
"Velorix"), numbered interleukins, diseases, cells, tests and concepts.

Articles are 600 to 1,500 words of plain patient-facing prose under
headings: sentences from the corpus articles, with their mentions as
written, and sentences made from templates ("Ask your care team whether
{drug} is right for you.") whose slots take a glossary name or alias of
the right kind. Each article has a topic (a disease, a few drugs and
cytokines) that most of its mentions come from; the rest are drawn over
the whole glossary with Zipf weights, so common terms such as
inflammation or TNF are mentioned in most articles and most terms in a
few. A few sentences cite references (`[@key]`) or link a term by name
(`[[Name]]`), and about a quarter of the articles say "white cells", which
is not yet an alias of anything (the benchmark's alias change adds it).

Everything comes from one `random.Random`, so a seed gives the same site
on every database; the first articles of a larger site are those of a
smaller one.
"""

import json
import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from django.utils.text import slugify

from bench.harness import FakeWords
from glossary.linking import lookup_key
from glossary.models import could_link_ordinary_text, split_aliases

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"
MARK = re.compile(r"\{\{([^{}|]+)\|[a-z0-9-]+\}\}")

TERM_COUNT = 400
REFERENCE_COUNT = 60
MIN_WORDS, MAX_WORDS = 600, 1_500
# Sentences taken from the corpus articles rather than made from templates,
# and mentions taken from the article's topic rather than the glossary.
CORPUS_SHARE = 0.1
TOPIC_SHARE = 0.9
# Flattens the head of the Zipf weights by which terms are drawn.
HEAD = 5
# The phrase articles use that the alias change makes a link.
UNLINKED_PHRASE = "white cells"
# Share of articles that use it, and share of terms with a body of their own.
UNLINKED_SHARE = 0.25
TERM_BODY_SHARE = 0.3

ONSETS = "b br c d dr f g gr k l m n p pr r s st t tr v z".split()
VOWELS = "a e i o u a e i o".split()
CODAS = ["", "", "", "n", "r", "l", "s", "x", "m", "t"]
DRUG_STEMS = "limab zumab ximab umab kinumab citinib tinib cept kinra".split()
BRAND_ENDINGS = "ix ra vo ex yn io ara eva ora ity exa".split()
DISEASE_FORMS = (
    "{} syndrome",
    "{} disease",
    "{}itis",
    "{} arthropathy",
    "{} dermatosis",
)
CELL_FORMS = ("{} cell", "{}cyte", "{} lymphocyte")
TEST_FORMS = ("{} test", "{} score", "{} level")
CONCEPT_FORMS = ("{} response", "{} pathway", "{} factor", "{} protein")
# Real interleukins that the corpus glossary leaves out.
INTERLEUKINS = (3, 5, 7, 8, 9, 10, 11, 15, 18, 21, 22, 27, 31, 33, 36)

DEFINITIONS = {
    "drug": "A medicine that {verb} {target}, given to people with {disease}.",
    "drug-class": "A group of medicines that {verb} {target}.",
    "cytokine": "A messenger protein that {verb} {target} during inflammation.",
    "cytokine-family": "A family of related cytokines that {verb} {target}.",
    "cell": "A kind of white blood cell that {verb} {target}.",
    "disease": "A long-term condition in which the immune system {verb} {target}.",
    "concept": "A measure doctors use to see how the body {verb} {target}.",
}
VERBS = "blocks calms switches on slows guards attacks signals to".split(" ")
TARGETS = (
    "the lining of the joints",
    "the skin",
    "the gut wall",
    "other immune cells",
    "the liver",
    "nerve cells",
    "small blood vessels",
)

# Sentences of patient leaflets, by the section they belong to. Each
# {slot} takes a glossary name or alias of that kind: drug, disease,
# cytokine, cell, test, any.
SECTIONS = {
    "What is {disease}?": (
        "{disease} is a long-term condition, but most people lead full lives.",
        "Nobody knows exactly what starts {disease}; genes and the "
        "environment both play a part.",
        "In {disease}, too much {cytokine} keeps calling in more {cell}.",
        "People with {disease} often feel tired even on good days.",
        "{disease} is not catching, and it is nobody's fault.",
        "Children with {disease} can usually go to school and play sport as normal.",
        "It is common to have {disease} alongside {disease}.",
    ),
    "How {drug} works": (
        "{drug} works by blocking {cytokine}, one of the messengers that keep "
        "the swelling going.",
        "Receptors for {cytokine} sit on {cell}, so blocking it changes what "
        "those cells do.",
        "{cytokine} is made by {cell} when the body thinks it is under attack.",
        "Because {drug} acts on one messenger only, it leaves most of your "
        "defences alone.",
        "Like other biological medicines, {drug} is checked for quality batch "
        "by batch.",
        "{drug} is not a cure for {disease}, but it can keep it quiet for years.",
    ),
    "Before you start": (
        "Tell your doctor about any infection before you start {drug}.",
        "You will have a chest X-ray and blood tests before your first dose.",
        "Bring a list of every medicine you take, including ones bought "
        "without a prescription.",
        "Ask your care team whether {drug} is right for you.",
        "Most people with {disease} are offered {drug} first.",
    ),
    "Living with {disease}": (
        "Keep a diary of your symptoms: it shows your doctor how {disease} "
        "changes from week to week.",
        "Gentle exercise, such as swimming or walking, keeps joints moving.",
        "Smoking makes {disease} harder to treat, and stopping helps {drug} "
        "work better.",
        "Many people find a support group helps them talk about {disease}.",
        "Plan rest into your day rather than waiting until you are worn out.",
        "A flare of {disease} can come on over a few days, with more pain and "
        "stiffness than usual.",
    ),
    "Side effects to look out for": (
        "Some people notice a rash or an itch where {drug} goes in; it "
        "usually settles within a day or two.",
        "Headache and tummy upset are common in the first weeks of {drug}.",
        "Because {drug} damps down part of the immune system, a cold may "
        "take longer to clear.",
        "Call your team straight away if you have a fever while taking {drug}.",
        "Side effects of {drug} are listed in the leaflet that comes in the box.",
    ),
    "Tests and check-ups": (
        "Blood tests such as {test} help your team see whether the treatment "
        "is working.",
        "Your team may check your {test} every few months while you take {drug}.",
        "A high {test} on its own does not prove that you have {disease}.",
        "Your {test} may stay normal even when {disease} is active.",
    ),
    "Questions to ask your team": (
        "Write down questions about {any} before your appointment, so none "
        "is forgotten.",
        "Ask how long it will be before {drug} starts to help.",
        "Ask what to do if you miss a dose of {drug}.",
        "A nurse specialist in {disease} can answer most day-to-day questions.",
    ),
    "Pregnancy and breastfeeding": (
        "If you are planning a pregnancy, talk to your team about {drug} early.",
        "Some medicines for {disease} are safe in pregnancy and others are not.",
        "Never stop {drug} suddenly without advice, even if you find you are pregnant.",
    ),
    "Vaccines and infections": (
        "Live vaccines are best avoided while you take {drug}.",
        "A yearly flu jab is recommended for most people taking {drug}.",
        "Wash your hands often and keep cuts clean and covered.",
        "If you have been near someone with chickenpox, tell your team.",
    ),
    "When to get help": (
        "Get help at once if you feel very unwell, breathless or confused.",
        "If {drug} does not help after three months, your doctor may suggest "
        "{drug} instead.",
        "Your GP can often renew a prescription for {drug} between clinic visits.",
        "Out of hours, your local urgent care service can advise you.",
    ),
    "Other treatments": (
        "Doctors sometimes combine {drug} with {drug} when one alone is not enough.",
        "Some medicines, including {drug}, are given as a drip in hospital.",
        "Your nurse will show you how to give {drug} at home.",
        "It can take a few weeks before {drug} makes a difference, so keep "
        "taking it even if you feel no change at first.",
        "Researchers are still learning why {cytokine} rises in {disease}.",
    ),
}
# Ways into and out of a sentence, so that two articles rarely read alike.
LEAD_INS = (
    "",
    "",
    "",
    "",
    "For most people, ",
    "In the first months, ",
    "As a rule, ",
    "Your team will explain that ",
    "It helps to know that ",
    "Over time, ",
)
# Sentences that say "white cells", which links nothing until it is an alias.
UNLINKED_TEMPLATES = (
    "Your white cells fight infection, and some medicines lower their number "
    "for a while.",
    "A blood count shows how many white cells you have.",
    "If your white cells drop too low, your doctor may pause {drug}.",
)
SUMMARIES = (
    "What {disease} is, how it is treated and what to expect.",
    "A guide to {drug} for people with {disease}.",
    "How {cytokine} drives {disease}, and the medicines that block it.",
)


@dataclass
class GlossaryTerm:
    name: str
    slug: str
    kind: str
    definition: str
    aliases: list = field(default_factory=list)
    body: str = ""

    @property
    def phrases(self):
        return [self.name, *self.aliases]


@dataclass
class Site:
    """What the benchmark loads: terms, reference keys and article bodies."""

    terms: list
    reference_keys: list
    articles: list  # (title, slug, summary, body)


class Words(FakeWords):
    def __init__(self, rng):
        super().__init__(rng, ONSETS, VOWELS, CODAS)


def corpus_terms():
    rows = json.loads((CORPUS / "glossary.json").read_text(encoding="utf-8"))
    return [
        GlossaryTerm(
            name=row["name"],
            slug=slugify(row["name"]),
            kind=row["kind"],
            definition=row["definition"],
            aliases=split_aliases("\n".join(row["aliases"])),
        )
        for row in rows
    ]


def corpus_sentences():
    """The corpus articles' sentences, marks removed, headings left out."""
    sentences = []
    for path in sorted((CORPUS / "articles").glob("*.md")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            if paragraph.startswith("#"):
                continue
            text = MARK.sub(r"\1", " ".join(paragraph.split()))
            sentences += re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return [sentence for sentence in sentences if len(sentence.split()) >= 4]


def build_glossary(rng, count=TERM_COUNT):
    """The corpus terms, then made-up ones until there are `count`."""
    terms = corpus_terms()
    taken = {lookup_key(text) for term in terms for text in term.phrases}
    words = Words(rng)

    def claim(text):
        key = lookup_key(text)
        if not key or key in taken or could_link_ordinary_text(text):
            return False
        taken.add(key)
        return True

    def add(name, kind, aliases=()):
        if not claim(name):
            return
        aliases = [alias for alias in aliases if claim(alias)]
        terms.append(
            GlossaryTerm(name, slugify(name), kind, definition(rng, kind), aliases)
        )

    for number in INTERLEUKINS:
        add(f"Interleukin-{number}", "cytokine", [f"IL-{number}"])
    while len(terms) < count:
        roll = rng.random()
        stem = words.stem(2, 3)
        if roll < 0.35:
            name = stem + rng.choice(DRUG_STEMS)
            brand = (words.stem(1, 2) + rng.choice(BRAND_ENDINGS)).capitalize()
            add(name.capitalize(), "drug", [brand])
        elif roll < 0.55:
            add(rng.choice(DISEASE_FORMS).format(stem).capitalize(), "disease")
        elif roll < 0.65:
            add(rng.choice(CELL_FORMS).format(stem).capitalize(), "cell")
        elif roll < 0.8:
            name = rng.choice(TEST_FORMS).format(stem).capitalize()
            initials = "".join(word[0] for word in name.split()).upper()
            add(name, "concept", [f"{initials}{rng.randint(2, 9)}"])
        else:
            add(rng.choice(CONCEPT_FORMS).format(stem).capitalize(), "concept")
    return terms


def definition(rng, kind):
    return DEFINITIONS[kind].format(
        verb=rng.choice(VERBS),
        target=rng.choice(TARGETS),
        disease="a long-term inflammatory condition",
    )


class Writer:
    """
    Patient articles over `terms`: each mention is a name or an alias of a
    term, drawn from the article's topic or, less often, from the whole
    glossary by Zipf weight.
    """

    SLOT = re.compile(r"\{(\w+)\}")

    def __init__(self, rng, terms, reference_keys):
        self.rng, self.terms, self.reference_keys = rng, terms, reference_keys
        self.sentences = corpus_sentences()
        # A popularity order at random; within each kind the term ranked r
        # is drawn with weight 1/(r + HEAD), so that no single drug or
        # disease is in nearly every article.
        order = list(terms)
        rng.shuffle(order)
        by_slot = {}
        for term in order:
            by_slot.setdefault(slot_of(term.kind), []).append(term)
        by_slot["any"] = order
        self.cumulative = {
            slot: (
                members,
                list(accumulate(1 / (rank + HEAD) for rank in range(len(members)))),
            )
            for slot, members in by_slot.items()
        }

    def popular(self, slot, count=1):
        terms, weights = self.cumulative[slot]
        return self.rng.choices(terms, cum_weights=weights, k=count)

    def mention(self, term):
        text = self.rng.choice(term.phrases)
        if self.rng.random() < 0.3 and not re.search(r"[A-Z]{2}|\d", text):
            text = text.lower()
        return text

    def fill(self, template, topic):
        def slot(match):
            kind = match.group(1)
            if kind in topic and self.rng.random() < TOPIC_SHARE:
                term = self.rng.choice(topic[kind])
            else:
                term = self.popular(kind if kind in self.cumulative else "any")[0]
            return self.mention(term)

        text = self.SLOT.sub(slot, template)
        return text[0].upper() + text[1:]

    def sentence(self, templates, topic):
        template = self.rng.choice(templates)
        lead_in = self.rng.choice(LEAD_INS)
        if lead_in and not template.startswith("{"):
            template = lead_in + template[0].lower() + template[1:]
        return self.fill(template, topic)

    def article(self, number):
        rng = self.rng
        topic = {
            "disease": self.popular("disease", rng.randint(1, 2)),
            "drug": self.popular("drug", rng.randint(2, 5)),
            "cytokine": self.popular("cytokine", rng.randint(1, 3)),
            "cell": self.popular("cell", rng.randint(1, 2)),
            "test": self.popular("test", 2),
        }
        disease = topic["disease"][0].name
        title = f"{disease}: {rng.choice(('a guide', 'treatment', 'living well'))}"
        title += f" ({number})"
        says_white_cells = rng.random() < UNLINKED_SHARE
        sections = rng.sample(list(SECTIONS), len(SECTIONS))
        # The last paragraph goes past the target by up to a hundred words.
        target = rng.randint(MIN_WORDS, MAX_WORDS - 100)
        lines, words = [], 0
        while words < target:
            heading = sections.pop() if sections else rng.choice(list(SECTIONS))
            lines += [f"## {self.fill(heading, topic)}", ""]
            for __ in range(rng.randint(1, 3)):
                paragraph = self.paragraph(SECTIONS[heading], topic, says_white_cells)
                words += len(paragraph.split())
                lines += [paragraph, ""]
                if words >= target:
                    break
            if words < target and rng.random() < 0.25:
                items = [self.sentence(SECTIONS[heading], topic) for __ in range(3)]
                lines += [f"- {item}" for item in items] + [""]
                words += sum(len(item.split()) for item in items)
        summary = self.fill(rng.choice(SUMMARIES), topic)
        return title, slugify(title), summary, "\n".join(lines).strip() + "\n"

    def paragraph(self, templates, topic, says_white_cells):
        """
        Sentences mostly of the section's own kind, some from other
        sections and some from the corpus articles.
        """
        rng = self.rng
        sentences = []
        for __ in range(rng.randint(3, 7)):
            roll = rng.random()
            if roll < CORPUS_SHARE:
                sentence = rng.choice(self.sentences)
            elif says_white_cells and roll < CORPUS_SHARE + 0.07:
                sentence = self.sentence(UNLINKED_TEMPLATES, topic)
            elif roll < 0.7:
                sentence = self.sentence(templates, topic)
            else:
                sentence = self.sentence(rng.choice(list(SECTIONS.values())), topic)
            if rng.random() < 0.04:
                name = self.popular("any")[0].name
                sentence = f"{sentence[:-1]} (see [[{name}]])."
            if rng.random() < 0.06:
                keys = rng.sample(self.reference_keys, rng.choice((1, 1, 2)))
                cited = "; ".join(f"@{key}" for key in keys)
                sentence = f"{sentence[:-1]} [{cited}]."
            sentences.append(sentence)
        return " ".join(sentences)

    def term_body(self, term):
        topic = {slot_of(term.kind): [term]}
        templates = self.rng.choice(list(SECTIONS.values()))
        paragraphs = [
            self.paragraph(templates, topic, False)
            for __ in range(self.rng.randint(1, 3))
        ]
        return "\n\n".join(paragraphs) + "\n"


def slot_of(kind):
    if kind in ("drug", "drug-class"):
        return "drug"
    if kind in ("cytokine", "cytokine-family"):
        return "cytokine"
    if kind in ("disease", "cell"):
        return kind
    return "test" if kind == "concept" else "any"


def build_site(rng, article_count):
    """The glossary, reference keys and `article_count` articles."""
    terms = build_glossary(rng)
    reference_keys = [f"{Words(rng).stem(1, 2)}-{2000 + n}" for n in range(60)]
    writer = Writer(rng, terms, reference_keys)
    for term in terms:
        if rng.random() < TERM_BODY_SHARE:
            term.body = writer.term_body(term)
    articles = [writer.article(number) for number in range(1, article_count + 1)]
    return Site(terms, reference_keys, articles)
