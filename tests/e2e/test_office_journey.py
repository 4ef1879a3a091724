"""The office's journey in a real browser, on the demo data: sign in with the password and the
authenticator code, take a case in through the form, read the designation and why, then switch
the pages to French. Each key page is checked with axe-core and photographed at 1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from legalaid.models import Designation, Lawyer
from portal.demo import DEMO_TOTP_SECRETS
from tests.cast import cases_of_victim, current_code
from tests.e2e.conftest import check_page, new_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_office_takes_a_case_in_and_reads_why_this_lawyer(
    demo: None, live_server: Any, browser: Any
) -> None:
    context = new_context(browser, locale="nl-BE")
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/")

    # Signed out: the sign-in page, in the browser's language (Dutch).
    assert page.locator("html").get_attribute("lang") == "nl"
    check_page(page, "sign-in")
    page.get_by_label("Gebruikersnaam").fill("office")
    page.get_by_label("Wachtwoord").fill("lanzarote-demo")
    page.get_by_role("button", name="Aanmelden").click()

    # The second factor.
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_page(page, "second-factor")
    page.get_by_label("Code").fill(current_code(DEMO_TOTP_SECRETS["office"]))
    page.keyboard.press("Enter")

    # Home: the office's queues.
    page.wait_for_url("**/office/")
    assert page.get_by_role("heading", level=1).inner_text() == "Startpagina van het bureau"
    check_page(page, "office-home")

    # Intake, refused first: the error summary takes the focus and links to the field.
    page.get_by_role("link", name="Nieuwe intake").click()
    page.wait_for_url("**/office/intake/")
    check_page(page, "intake")
    page.get_by_role("button", name="Opnemen en aanstellen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check_page(page, "intake-refused")

    # Then complete, by keyboard-friendly labels; the district fills in the language (htmx).
    page.get_by_label("Voornamen").fill("Noor")
    page.get_by_label("Familienaam").fill("Browsertest")
    page.get_by_label("Geboortedatum").fill("2011-05-04")
    page.get_by_label("De taal van het slachtoffer").select_option("nl")
    page.get_by_label("Gerechtelijk arrondissement").select_option("antwerpen")
    page.locator("#id_language option[value='nl'][selected]").wait_for(state="attached")
    first = page.get_by_role("group", name="Beklaagde 1")
    first.get_by_label("Rol").select_option("pimp")
    first.get_by_label("Volledige naam").fill("Dirk Dader")
    first.get_by_label("Online gebruikersnamen").fill("@dirk_d")
    page.get_by_role("button", name="Een beklaagde toevoegen").click()  # typed rows stay
    assert (
        page.get_by_role("group", name="Beklaagde 1").get_by_label("Volledige naam").input_value()
        == "Dirk Dader"
    )
    second = page.get_by_role("group", name="Beklaagde 2")
    second.get_by_label("Rol").select_option("client")
    second.get_by_label("Volledige naam").fill("Karel Klant")
    page.get_by_role("button", name="Opnemen en aanstellen").click()

    # The case page: the designation and why, in sentences.
    page.wait_for_url("**/office/cases/*/")
    case = cases_of_victim("Browsertest")[0]
    lawyer = Designation.objects.get(case=case).lawyer
    assert page.get_by_role("heading", name="Waarom deze advocaat").is_visible()
    assert page.get_by_text(f"Gekozen: {lawyer.given_name} {lawyer.family_name}").is_visible()
    check_page(page, "case")

    # An intake in Liège: nobody of the Antwerp bar serves it, so the case is escalated; the
    # office proposes a lawyer of the Liège bar with a cross-district override.
    page.get_by_role("link", name="Nieuwe intake").click()
    page.get_by_label("Voornamen").fill("Lou")
    page.get_by_label("Familienaam").fill("Escalade")
    page.get_by_label("Geboortedatum").fill("2010-09-09")
    page.get_by_label("De taal van het slachtoffer").select_option("fr")
    page.get_by_label("Gerechtelijk arrondissement").select_option("luik")
    page.get_by_role("button", name="Opnemen en aanstellen").click()
    page.wait_for_url("**/office/cases/*/")
    assert page.get_by_role("heading", name="Geëscaleerd: geen advocaat kon worden aangesteld")
    assert page.get_by_text("Werkt niet in het gerechtelijk arrondissement van de zaak").first
    check_page(page, "case-escalated")
    liege = (  # one listed for every matter of the case
        Lawyer.objects.filter(bar__name="Barreau de Liège-Huy", active=True)
        .annotate(listed=Count("matters"))
        .order_by("-listed", "pk")
        .first()
    )
    assert liege is not None
    page.get_by_role("combobox", name="Advocaat").fill(f"{liege.family_name}, {liege.given_name}")
    page.get_by_label("Uitzondering buiten het arrondissement").check()
    page.get_by_label("Reden", exact=True).fill("Geen advocaat van onze balie werkt in Luik.")
    page.get_by_role("button", name="Deze advocaat voorstellen").click()
    page.wait_for_load_state()
    escalated = cases_of_victim("Escalade")[0]
    assert Designation.objects.get(case=escalated).lawyer == liege
    assert page.get_by_text("De advocaat werd voorgesteld").is_visible()

    # The yearly list: a file with one bad line is refused whole, the corrected one imported.
    page.get_by_role("link", name="Lijst", exact=True).click()
    check_page(page, "panel")
    page.get_by_role("link", name="De jaarlijst inlezen (CSV)").click()
    antwerp = Lawyer.objects.filter(bar__name="Balie Antwerpen")
    rows = [
        f"{lawyer.given_name};{lawyer.family_name};{lawyer.email};;nl;antwerpen;youth;5;yes"
        for lawyer in antwerp
    ]
    header = (
        "given_name;family_name;email;phone;languages;districts;matters;capacity;youth_certified"
    )
    bad = "\n".join([header, *rows, "Nieuwe;Advocaat;geen-adres;;nl;antwerpen;youth;5;yes"])
    upload = page.get_by_label("De jaarlijst (CSV)")
    upload.set_input_files({"name": "lijst.csv", "mimeType": "text/csv", "buffer": bad.encode()})
    page.get_by_role("button", name="Het bestand controleren").click()
    page.get_by_text("Geen e-mailadres.", exact=False).first.wait_for()
    check_page(page, "import-refused")
    assert not Lawyer.objects.filter(family_name="Advocaat").exists()
    good = bad.replace("geen-adres", "nieuwe.advocaat@example.be")
    upload = page.get_by_label("De jaarlijst (CSV)")
    upload.set_input_files({"name": "lijst.csv", "mimeType": "text/csv", "buffer": good.encode()})
    page.get_by_role("button", name="Het bestand controleren").click()
    page.get_by_role("heading", name="Voorbeeld: er is nog niets ingelezen").wait_for()
    check_page(page, "import-preview")
    page.get_by_role("button", name="De lijst inlezen").click()
    page.wait_for_url("**/office/panel/")
    assert Lawyer.objects.filter(family_name="Advocaat", bar__name="Balie Antwerpen").exists()
    page.get_by_role("link", name="Advocaat, Nieuwe").click()
    page.get_by_role("heading", name="Nieuwe Advocaat").wait_for()
    check_page(page, "lawyer")
    page.get_by_role("link", name="Billijkheid").click()
    page.get_by_role("heading", name="Billijke verdeling van de aanstellingen").wait_for()
    assert page.locator("svg.chart").count() == 1
    check_page(page, "fairness")

    # French, remembered.
    page.goto(live_server.url + f"/office/cases/{case.pk}/")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Pourquoi cet avocat").is_visible()
    check_page(page, "case-fr")
    # The person's copy: its form opens by keyboard and reads well at both widths.
    summary = page.locator("summary", has_text="Produire une copie")
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.locator("xpath=..").get_attribute("open") is not None
    assert page.get_by_role("button", name="Produire la copie").is_visible()
    check_page(page, "case-fr-copy-form")
    page.goto(live_server.url + "/office/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accueil du bureau"
    # Nothing the pages do (htmx included) runs into the Content-Security-Policy.
    assert [e for e in console_errors if "Content Security Policy" in e] == []
    context.close()
