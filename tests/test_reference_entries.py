"""
Filling the reference form from a pasted BibTeX or RIS entry: the form
comes back filled and unsaved, the editor checks it and saves.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from references.models import Reference
from tests.admin_pages import admin_form, change_url, edited_form_id
from tests.factories import make_reference, sign_in
from tests.html import element, elements, form_data, text

pytestmark = pytest.mark.django_db

REFERENCE_ADD = reverse("admin:references_reference_add")
FILL = {"_fill_from_entry": "1"}

MCINNES_BIBTEX = r"""
@article{McInnes2007,
  author  = {McInnes, Iain B. and Schett, Georg},
  title   = {Cytokines in the pathogenesis of rheumatoid arthritis},
  journal = {Nat Rev Immunol},
  year    = {2007},
  month   = jun,
  volume  = {7},
  number  = {6},
  pages   = {429--442},
  doi     = {10.1038/nri2094},
  pmid    = {17525752},
}
"""
MCINNES_RIS = """\
TY  - JOUR
AU  - McInnes, Iain B.
AU  - Schett, Georg
TI  - Cytokines in the pathogenesis of rheumatoid arthritis
T2  - Nat Rev Immunol
PY  - 2007/06//
VL  - 7
IS  - 6
SP  - 429
EP  - 442
DO  - 10.1038/nri2094
AN  - 17525752
DB  - PubMed
ER  -
"""
BIOBASICS_BIBTEX = r"""
@online{biobasics2006,
  title        = {Cytokines},
  organization = {BioBasics},
  date         = {2006-04-24},
}
"""
BIOBASICS_RIS = """\
TY  - ELEC
TI  - Cytokines
T2  - BioBasics
PY  - 2006/04/24/
ER  -
"""
PRIMER_BIBTEX = r"""
@incollection{primer12,
  title     = {Growth Factors and Cytokines},
  booktitle = {Primer on the Rheumatic Diseases},
  editor    = {Klippel, John H. and Crofford, Leslie J. and Stone, John H.
               and Weyand, Cornelia M.},
  publisher = {Arthritis Foundation},
  edition   = {12th},
  year      = {2001},
}
"""
PRIMER_RIS = """\
TY  - CHAP
TI  - Growth Factors and Cytokines
T2  - Primer on the Rheumatic Diseases
A2  - Klippel, John H.
A2  - Crofford, Leslie J.
A2  - Stone, John H.
A2  - Weyand, Cornelia M.
PB  - Arthritis Foundation
ET  - 12th
PY  - 2001
ER  -
"""

MCINNES = {
    "key": "mcinnes-2007",
    "kind": "journal",
    "authors": "McInnes IB, Schett G",
    "title": "Cytokines in the pathogenesis of rheumatoid arthritis",
    "container": "Nat Rev Immunol",
    "year": "2007",
    "month": "6",
    "day": "",
    "volume": "7",
    "issue": "6",
    "pages": "429-442",
    "doi": "10.1038/nri2094",
    "pmid": "17525752",
}
BIOBASICS = {
    "key": "biobasics-2006",
    "kind": "web",
    "authors": "",
    "title": "Cytokines",
    "container": "BioBasics",
    "year": "2006",
    "month": "4",
    "day": "24",
}
PRIMER = {
    "key": "primer-2001",
    "kind": "chapter",
    "authors": "",
    "title": "Growth Factors and Cytokines",
    "container": "Primer on the Rheumatic Diseases",
    "editors": "Klippel JH, Crofford LJ, Stone JH, Weyand CM",
    "publisher": "Arthritis Foundation",
    "edition": "12",
    "year": "2001",
}


def empty_add_form(client, **fields):
    data = admin_form(client, REFERENCE_ADD)
    data.update(fields)
    return data


def filled(response):
    """The form as the page sent back holds it."""
    html = response.content.decode()
    return form_data(html, edited_form_id(html))


def messages(response):
    html = response.content.decode()
    return [
        " ".join(text(item).split())
        for item in elements(html, "li")
        if "info" in item.classes
    ]


def entry_errors(response):
    html = response.content.decode()
    return [
        " ".join(text(item).split())
        for errors in elements(html, "ul", id="id_pasted_entry_error")
        for item in elements(errors, "li")
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (MCINNES_BIBTEX, MCINNES),
        (MCINNES_RIS, MCINNES),
        (BIOBASICS_BIBTEX, BIOBASICS),
        (BIOBASICS_RIS, BIOBASICS),
        (PRIMER_BIBTEX, PRIMER),
        (PRIMER_RIS, PRIMER),
    ],
    ids=[
        "mcinnes-bibtex",
        "mcinnes-ris",
        "biobasics-bibtex",
        "biobasics-ris",
        "primer-bibtex",
        "primer-ris",
    ],
)
def test_fill_from_entry_fills_the_demo_references_unsaved(
    staff_client, entry, expected
):
    data = empty_add_form(staff_client, pasted_entry=entry, **FILL)
    response = staff_client.post(REFERENCE_ADD, data)
    assert response.status_code == 200
    form = filled(response)
    assert {name: form.get(name, "") for name in expected} == expected
    assert not entry_errors(response)
    assert any(message.startswith("Filled from the") for message in messages(response))
    assert not Reference.objects.exists()
    assert not LogEntry.objects.exists()


def test_filled_form_saved_as_sent_back_cites_as_the_demo_does(staff_client):
    response = staff_client.post(
        REFERENCE_ADD,
        empty_add_form(staff_client, pasted_entry=MCINNES_BIBTEX, **FILL),
    )
    assert staff_client.post(REFERENCE_ADD, filled(response)).status_code == 302
    reference = Reference.objects.get()
    assert reference.key == "mcinnes-2007"
    assert text(reference.citation_html()) == (
        "McInnes IB, Schett G. Cytokines in the pathogenesis of rheumatoid "
        "arthritis. Nat Rev Immunol. 2007 Jun;7(6):429-442. doi:10.1038/nri2094. "
        "PMID: 17525752."
    )


def test_fill_decodes_latex_accents_and_drops_braces(staff_client):
    entry = r"""@article{muller,
      author = {M{\"u}ller, J{\"o}rg and {\'E}vrard, Ren{\'e}e and
                {World Health Organization}},
      title = {{TNF}-$\alpha$ blockade in {B}eh{\c{c}}et's disease},
      journal = {Ann Rheum Dis}, year = 2019}"""
    form = filled(
        staff_client.post(
            REFERENCE_ADD, empty_add_form(staff_client, pasted_entry=entry, **FILL)
        )
    )
    assert form["authors"] == "Müller J, Évrard R, World Health Organization"
    assert form["title"] == "TNF-$\\alpha$ blockade in Behçet's disease"
    assert form["key"] == "muller-2019"


def test_fill_reads_addresses_and_dois_as_written_not_as_latex(staff_client):
    entry = r"""@online{page,
      title = {Dosing}, year = 2020,
      url = {https://example.org/a%20b?c=1&d=e\_f},
      doi = {10.1000/x\_y%7B}}"""
    form = filled(
        staff_client.post(
            REFERENCE_ADD, empty_add_form(staff_client, pasted_entry=entry, **FILL)
        )
    )
    # "%" is not a LaTeX comment here, and an escaped "_" is a "_".
    assert form["url"] == "https://example.org/a%20b?c=1&d=e_f"
    assert form["doi"] == "10.1000/x_y%7B"


def test_fill_from_several_entries_takes_the_first_and_says_so(staff_client):
    entries = MCINNES_BIBTEX + PRIMER_BIBTEX + BIOBASICS_BIBTEX
    response = staff_client.post(
        REFERENCE_ADD, empty_add_form(staff_client, pasted_entry=entries, **FILL)
    )
    assert filled(response)["title"] == MCINNES["title"]
    assert (
        "The text held 3 BibTeX entries; the form was filled from the first."
        in messages(response)
    )


def test_fill_from_ris_keeps_every_author_line_in_order(staff_client):
    entry = MCINNES_RIS.replace(
        "AU  - Schett, Georg\n",
        "AU  - Schett, Georg\nAU  - van der Heijde, Désirée\nAU  - Smolen, J. S.\n",
    )
    form = filled(
        staff_client.post(
            REFERENCE_ADD, empty_add_form(staff_client, pasted_entry=entry, **FILL)
        )
    )
    assert form["authors"] == "McInnes IB, Schett G, van der Heijde D, Smolen JS"


def test_fill_reads_ris_without_its_end_line_or_standard_spacing(staff_client):
    entry = "TY - JOUR\nTI - Cytokines in arthritis\nAU - Roe, Ann\nPY - 2020"
    form = filled(
        staff_client.post(
            REFERENCE_ADD, empty_add_form(staff_client, pasted_entry=entry, **FILL)
        )
    )
    assert (form["title"], form["authors"], form["year"]) == (
        "Cytokines in arthritis",
        "Roe A",
        "2020",
    )


def test_fill_keeps_a_typed_key_and_suggests_a_free_one_otherwise(staff_client):
    make_reference(key="McInnes-2007")
    typed = empty_add_form(
        staff_client, key="my-own-key", pasted_entry=MCINNES_BIBTEX, **FILL
    )
    assert filled(staff_client.post(REFERENCE_ADD, typed))["key"] == "my-own-key"
    blank = empty_add_form(staff_client, pasted_entry=MCINNES_BIBTEX, **FILL)
    assert filled(staff_client.post(REFERENCE_ADD, blank))["key"] == "mcinnes-2007b"


def test_fill_on_the_change_form_replaces_fields_and_saves_nothing(staff_client):
    reference = make_reference(key="mcinnes", title="Typed by hand", volume="99")
    data = admin_form(staff_client, change_url(reference))
    data.update(pasted_entry=MCINNES_RIS, **FILL)
    form = filled(staff_client.post(change_url(reference), data))
    assert (form["key"], form["title"], form["volume"]) == (
        "mcinnes",
        MCINNES["title"],
        "7",
    )
    reference.refresh_from_db()
    assert (reference.title, reference.volume) == ("Typed by hand", "99")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("", "Paste a BibTeX entry"),
        ("   \n  ", "Paste a BibTeX entry"),
        ("McInnes IB. Cytokines. 2007.", "This is neither a BibTeX entry"),
        ("@article{x, title = {unclosed", "The BibTeX entry could not be read"),
        ("TY  - JOUR\nER  - ", "The RIS entry gives neither a title nor authors"),
        ("@article{x, year = 2007}", "The BibTeX entry gives neither a title"),
        ("@article{x, title={" + "a" * 20_000 + "}}", "paste one entry"),
    ],
)
def test_bad_entry_is_refused_with_a_message_and_text_kept(
    staff_client, entry, message
):
    data = empty_add_form(
        staff_client, title="Typed ’title’", pasted_entry=entry, **FILL
    )
    response = staff_client.post(REFERENCE_ADD, data)
    assert response.status_code == 200
    (error,) = entry_errors(response)
    assert message in error
    form = filled(response)
    assert form["title"] == "Typed ’title’"
    assert form["pasted_entry"] == entry.replace("\r\n", "\n")
    assert not Reference.objects.exists()


def test_pasted_entry_is_ignored_by_save(staff_client):
    data = admin_form(staff_client, REFERENCE_ADD)
    data.update(key="roe-2020", title="Typed", pasted_entry=MCINNES_BIBTEX)
    assert staff_client.post(REFERENCE_ADD, data).status_code == 302
    assert Reference.objects.get().title == "Typed"


def test_reference_form_has_the_paste_box_and_its_button(staff_client):
    html = staff_client.get(REFERENCE_ADD).content.decode()
    box = element(html, "textarea", name="pasted_entry")
    assert text(element(html, "label", for_=box.attrs["id"])).startswith(
        "Paste a BibTeX or RIS entry"
    )
    button = element(html, "button", name="_fill_from_entry")
    assert text(button) == "Fill from entry"


def test_view_only_editor_sees_the_reference_without_the_paste_box(
    client, django_user_model
):
    reference = make_reference()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_reference"))
    sign_in(client, viewer)
    response = client.get(change_url(reference))
    assert response.status_code == 200
    html = response.content.decode()
    assert not elements(html, "textarea", name="pasted_entry")
    assert not elements(html, "button", name="_fill_from_entry")
