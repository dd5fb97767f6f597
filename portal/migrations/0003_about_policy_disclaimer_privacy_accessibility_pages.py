"""
The site's first pages about itself, linked from every page's footer.
Editors change them in the admin (Site pages); this only creates them.
"""

from django.db import migrations

from glossary.markup import render_markdown

PAGES = [
    (
        "About",
        "about",
        """\
This site explains, in plain language, the small proteins called
**cytokines** that cells use to signal to each other, the part they play
in rheumatic diseases such as rheumatoid arthritis, psoriatic arthritis and
ankylosing spondylitis, and the medicines that block them.

It is written for patients, their families and anyone else who wants to
understand a diagnosis or a treatment a little better. Three kinds of page
work together:

- **Articles** explain a subject from the beginning, such as what cytokines
  are or how a biologic medicine works.
- **The glossary** gives a short definition of each cytokine, drug, disease
  and cell type. Wherever an article mentions one, its name links to the
  glossary, and hovering over or focusing the link shows the definition.
- **References** list the published sources each statement rests on, so
  that you, or your doctor, can check them.

Every article shows when it was last updated and last reviewed, who wrote
it and who checked it for medical accuracy. How we choose, write and check
what we publish is set out in our [editorial policy](/editorial-policy/).

Nothing here replaces the advice of the people who treat you: please read
our [disclaimer](/disclaimer/).
""",
    ),
    (
        "Editorial policy",
        "editorial-policy",
        """\
## What we publish

We write about the biology of inflammation and the treatment of rheumatic
diseases where it helps patients understand their own care. We do not
publish personal stories presented as evidence, product promotion, or
advice on doses.

## Where our information comes from

Each article rests on sources we can name: peer-reviewed research and
reviews, textbooks of rheumatology and immunology, and the product
information that medicines regulators approve. Sources are cited in the
text with a number and listed at the end of the article, with a link to
the original where there is one. We prefer systematic reviews and
guidelines to single studies, and we say so when the evidence is thin or
still changing.

## How articles are checked

An article is written by an editor and then checked by a medical reviewer
with training in the subject before it is published; both are named on the
page. Each article shows the date it was last updated and the date it was
last reviewed. We review articles at least every two years, and sooner
when a new treatment is approved or guidance changes.

## Independence

We accept no advertising and no payment from the makers of medicines or
devices, and the choice of subjects is ours alone. Drugs are named by
their generic name; brand names are given only to help readers recognise
what they have been prescribed.

## Corrections

If we find a mistake, we correct the article, change its updated date and,
where the mistake could have mattered to a reader's care, say what changed.
""",
    ),
    (
        "Disclaimer",
        "disclaimer",
        """\
The information on this site is general information about cytokines,
rheumatic diseases and their treatment. It is not medical advice about
your own health.

- It cannot take into account your history, your other conditions or the
  other medicines you take. Only the people who treat you can do that.
- Do not start, stop or change a treatment, or its dose, because of
  something you have read here. Talk to your doctor, nurse or pharmacist
  first.
- Medicines described here may not be approved, or may be approved for
  different uses, in the country where you live.
- Research moves on. We review our articles regularly, but an article may
  not yet reflect the newest evidence; the date each article was last
  reviewed is shown on it.

**If you think you are having a medical emergency**, such as a severe
allergic reaction, a high fever while taking a medicine that lowers your
immune defences, or sudden difficulty breathing, contact your local
emergency services at once.

Links to other websites are given for further reading; we are not
responsible for their content.
""",
    ),
    (
        "Privacy",
        "privacy",
        """\
You can read everything on this site without an account, and we do not
ask who you are.

## What we collect

- **Server logs.** Like most websites, our server records each request it
  answers (the address asked for, the time, and the browser and network
  address it came from) to keep the site working and secure. These logs
  are kept for a short time and then deleted.
- **Searches.** What you type into a search box is used to answer it. We
  do not link searches to you.
- **Cookies.** Readers get none. Editors who sign in to edit the site get
  a session cookie and a security cookie, which are needed for signing in.

We do not use advertising, tracking or analytics services, and we do not
sell or share information about readers.

## Your rights

Where data protection law gives you rights over information about you,
such as seeing, correcting or deleting it, you can ask the site's editors
to exercise them.
""",
    ),
    (
        "Accessibility statement",
        "accessibility",
        """\
We want everyone to be able to read and use this site, including people
who use a screen reader, a keyboard instead of a mouse, magnification or
their own colours and text sizes.

## What we do

- Pages are built from plain HTML with headings in order, so that they
  can be navigated by heading, and there is a link to skip to the content.
- Glossary links show their definition when you move to them with the
  keyboard as well as with a mouse, and screen readers read it as the
  link's description.
- Diagrams of how terms relate have a text description, and the same
  relations are listed in words beside them.
- Text can be enlarged to twice its size, and pages fit a small phone
  screen without scrolling sideways.
- Search suggestions can be chosen with the arrow keys, and the search
  works without JavaScript.

## What we know is not yet right

Some older articles may have images without a full description, and some
tables may be hard to read on a small screen. We correct these as we
review each article.

## Tell us

If something on the site is hard for you to use, please let the editors
know, saying which page and what went wrong, and we will do our best to
fix it or to give you the information another way.
""",
    ),
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("portal", "Page")
    for order, (title, slug, body) in enumerate(PAGES, start=1):
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "body": body,
                "body_html": render_markdown(body),
                "show_in_footer": True,
                "footer_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_site_pages")]

    # Unapplied, the pages go with their table (0002); an editor's changes
    # to them are not for this migration to delete.
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
