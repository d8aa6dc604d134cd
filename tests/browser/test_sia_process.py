"""The demo personas take one newcomer through every SIA step in a real browser.

Intake, allocation, alignment, guidance meeting, first visit with the standby guide
called in live (two browsers at once, no reload), SIA plan with print view and PDF,
transfer to the assessment team and its alignment; then the manager's overview and
the case timeline. Every page visited passes an axe-core accessibility check, and
neither the `annan` persona nor a community guide of another municipality ever sees
the case: they get the same 404 as for a case that does not exist.
"""

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD
from sia.accounts.models import Membership, Organisation, Role, Unit, User
from sia.accounts.tests.two_factor_helpers import give_authenticator
from sia.cases.models import Case
from sia.demo.synthetic import personal_number
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH = dt.date(1988, 3, 9)
NUMBER = personal_number(BIRTH, serial=985)
CheckPage = Callable[[Page], None]
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()


def local_input(moment: dt.datetime) -> str:
    """The value a datetime-local input takes, in the app's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def register_and_open_case(page: Page, base: str, check: CheckPage) -> str:
    """socsek registers the newcomer inside the SIA target group and opens the case."""
    log_in(page, base, "socsek")
    page.get_by_role("link", name="Sök eller registrera person").click()
    page.get_by_label("Personnummer, samordningsnummer eller dossiernummer").fill(NUMBER)
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_text("Ingen träff.")).to_be_visible()
    page.get_by_role("link", name="Registrera ny person").click()
    page.get_by_label("Typ av identitetsnummer").select_option("personnummer")
    page.get_by_label("Identitetsnummer", exact=True).fill(NUMBER)
    page.get_by_label("Förnamn").fill("Amanuel")
    page.get_by_label("Efternamn").fill("Tesfay")
    page.get_by_label("Födelsedatum").fill(BIRTH.isoformat())
    page.get_by_label("Kön").select_option("male")
    page.get_by_label("Mottagningskategori").select_option("quota_refugee")
    permit = timezone.localdate() - dt.timedelta(days=200)
    page.get_by_label("Uppehållstillstånd beviljat").fill(permit.isoformat())
    page.get_by_label("tigrinja").check()
    page.get_by_label("Behöver tolk").check()
    page.get_by_label("Tolkspråk").select_option("ti")
    check(page)
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amanuel Tesfay")

    page.get_by_role("link", name="Aktualisera ärende").click()
    expect(page.get_by_role("region", name="Målgrupp")).to_contain_text("Inom målgruppen")
    check(page)
    page.get_by_role("button", name="Aktualisera").click()
    expect(page.get_by_text("Ärendet är aktualiserat.")).to_be_visible()
    check(page)
    return page.url


def allocate(page: Page, base: str, check: CheckPage, reference: str) -> None:
    """chef finds the case waiting in "Mitt arbete" and hands it to the SIA group."""
    log_in(page, base, "chef")
    expect(page.get_by_role("region", name="Väntar på fördelning")).to_contain_text("Tesfay")
    check(page)
    page.get_by_role("link", name="Mitt arbete", exact=True).click()
    waiting = page.get_by_role("region", name="Väntar på fördelning")
    expect(waiting).to_contain_text("Tesfay")
    check(page)
    waiting.get_by_role("link", name=f"Fördela ärende {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fördela ärende")
    check(page)
    page.get_by_role("button", name="Fördela").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj minst en samhällsvägledare.")
    check(page)
    page.get_by_label("Vera Vägledare").check()
    page.get_by_label("Viktor Vägledare").check()
    page.get_by_label("Socialsekreterare, mottagning").select_option(label="Sara Sekreterare")
    page.get_by_role("button", name="Fördela").click()
    expect(page.get_by_text("Ärendet är fördelat.")).to_be_visible()
    team = page.get_by_role("region", name="Ärendeteam")
    for name in ("Vera Vägledare", "Viktor Vägledare", "Sara Sekreterare"):
        expect(team).to_contain_text(name)
    steps = page.get_by_role("table", name="Ärendets steg i ordning")
    allocation = steps.get_by_role("row", name="Fördelning")
    expect(allocation).to_contain_text("Klart")
    alignment = steps.get_by_role("row", name="SIA-avstämning")
    expect(alignment).to_contain_text(DATE_PATTERN)
    check(page)
    log_out(page)


def record_alignment(page: Page, base: str, check: CheckPage, case_url: str) -> None:
    """socsek records the SIA alignment: documents, info for the guide, first visit, standby."""
    log_in(page, base, "socsek")
    page.goto(case_url)
    page.get_by_role("link", name="SIA-avstämning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SIA-avstämning")
    check(page)
    page.get_by_label("Uppehållstillståndskort (UT-kort)").check()
    page.get_by_label("Pass eller annan id-handling").check()
    page.get_by_label("Personbevis").check()
    page.get_by_label(
        "Det här vill socialsekreteraren att samhällsvägledaren tar upp med personen"
    ).fill("Gå igenom listan över handlingar och hur man skaffar BankID.")
    first_visit = timezone.now() + dt.timedelta(hours=1)
    page.get_by_label("Överenskommen tid för nybesök").fill(local_input(first_visit))
    page.get_by_label("Samhällsvägledare i beredskap under nybesöket").select_option(
        label="Vera Vägledare"
    )
    page.get_by_role("button", name="Signera avstämningen").click()
    expect(page.get_by_text("Avstämningen är signerad.")).to_be_visible()
    records = page.get_by_role("region", name="Signerade avstämningar")
    expect(records).to_contain_text("Vera Vägledare")
    expect(records).to_contain_text("hur man skaffar BankID")
    expect(page.get_by_role("table", name="Begärda handlingar")).to_contain_text("Personbevis")
    check(page)


def hold_guidance_meeting(page: Page, check: CheckPage, case_url: str, reference: str) -> None:
    """vagledare1 sees the standby slot, books the guidance meeting and records it."""
    page.get_by_role("link", name="Mitt arbete", exact=True).click()
    expect(page.get_by_role("region", name="Beredskap vid nybesök")).to_contain_text(reference)
    check(page)
    page.goto(case_url)
    page.get_by_role("link", name="Samhällsvägledningsmöte (SVA)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samhällsvägledningsmöte")
    check(page)
    page.get_by_label("Samhällsvägledare").select_option(label="Vera Vägledare")
    started = timezone.now() - dt.timedelta(minutes=30)
    page.get_by_label("Datum och tid").fill(local_input(started))
    page.get_by_label("Plats", exact=True).fill("Medborgarkontoret, rum 2")
    page.get_by_label("På plats").check()
    page.get_by_label("Tolk behövs").check()
    page.get_by_label("Tolkspråk").select_option("ti")
    page.get_by_role("button", name="Boka", exact=True).click()
    expect(page.get_by_text("Mötet är bokat.")).to_be_visible()
    check(page)

    for topic in (
        "Listan över begärda handlingar",
        "Flyttanmälan hos Skatteverket",
        "Bankkonto och BankID",
    ):
        page.get_by_label(topic).check()
    page.get_by_label("Anteckningar").fill("Tolk på plats. Personen har frågor om SFI.")
    page.get_by_role("button", name="Signera dokumentationen").click()
    expect(page.get_by_text("Mötet är dokumenterat och signerat.")).to_be_visible()
    meetings = page.get_by_role("region", name="Möten")
    expect(meetings).to_contain_text("Genomgången: Bankkonto och BankID")
    check(page)


def first_visit_with_live_call(
    social_worker: Page, guide: Page, check: CheckPage, case_url: str
) -> None:
    """socsek calls the standby guide in; the guide's open page shows it without a reload."""
    guide.get_by_role("link", name="Mitt arbete", exact=True).click()
    expect(guide.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    guide_url = guide.url
    # A reload or navigation would drop this marker; the call must arrive without one.
    guide.evaluate("window.siaNotReloaded = true")

    social_worker.goto(case_url)
    social_worker.get_by_role("link", name="Nybesök (IB:3)").click()
    expect(social_worker.get_by_role("heading", level=1)).to_contain_text("Nybesök")
    expect(social_worker.get_by_text("I beredskap: Vera Vägledare")).to_be_visible()
    check(social_worker)
    social_worker.get_by_label("Meddelande till samhällsvägledaren").fill("Rum 3, plan 2")
    social_worker.get_by_role("button", name="Kalla in samhällsvägledaren").click()
    expect(
        social_worker.get_by_text("Samhällsvägledaren är inkallad. Svaret visas här.")
    ).to_be_visible()
    calls = social_worker.get_by_role("region", name="Inkallningar")
    expect(calls).to_contain_text("Väntar på svar")
    check(social_worker)

    call = guide.get_by_role("region", name="Inkallning till nybesök")
    expect(call.get_by_text("Du kallas in till nybesök")).to_be_visible(timeout=10_000)
    expect(call).to_contain_text("Sara Sekreterare")
    expect(call).to_contain_text("Rum 3, plan 2")
    assert guide.url == guide_url
    check(guide)
    call.get_by_role("button", name="Jag kommer").click()
    expect(guide.get_by_text("Du har svarat: Jag kommer.")).to_be_visible()
    assert guide.url == guide_url
    assert guide.evaluate("window.siaNotReloaded") is True

    expect(calls).to_contain_text("Svar: Jag kommer", timeout=10_000)

    assessment = social_worker.get_by_role("group", name="Fördjupad kartläggning")
    assessment.get_by_label("Boende", exact=True).fill("Andrahandskontrakt, två rum.")
    assessment.get_by_label("Utbildning och språk").fill("Gymnasium i Eritrea, börjar SFI.")
    assessment.get_by_label("Behov av stöd framöver").fill("Vill ha hjälp att söka bostad.")
    social_worker.get_by_label("Fortsatt stödbehov").check()
    received = social_worker.get_by_role("group", name="Handlingar som lämnats in i dag")
    received.get_by_label("Uppehållstillståndskort (UT-kort)").check()
    received.get_by_label("Pass eller annan id-handling").check()
    social_worker.get_by_role("button", name="Signera nybesöket").click()
    expect(social_worker.get_by_text("Nybesöket är dokumenterat och signerat.")).to_be_visible()
    expect(social_worker.get_by_role("region", name="Dokumenterade nybesök")).to_contain_text(
        "Andrahandskontrakt"
    )
    documents = social_worker.get_by_role("region", name="Begärda handlingar")
    expect(documents.get_by_role("row", name="Personbevis")).to_contain_text("Begärd")
    expect(documents.get_by_role("row", name="Pass eller annan id-handling")).to_contain_text(
        "Inlämnad"
    )
    check(social_worker)


def agree_plan(page: Page, check: CheckPage, case_url: str) -> None:
    """socsek proposes the SIA plan with an activity from the catalogue, then agrees it."""
    page.goto(case_url)
    page.get_by_role("link", name="SIA-plan överenskommen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SIA-plan")
    check(page)
    expect(page.get_by_label("Kartläggning, sammanfattning")).to_contain_text("Andrahandskontrakt")
    page.get_by_label("Behov av samhällsvägledning framöver").fill("Förstärkt bostadsvägledning.")
    activity = page.get_by_role("group", name="Aktivitet 1")
    activity.get_by_label("Aktivitet ur listan").select_option(label="Språkcafé")
    activity.get_by_label("Ansvarig person eller organisation").fill("Stadsbiblioteket")
    today = timezone.localdate()
    activity.get_by_label("Start", exact=True).fill(today.isoformat())
    activity.get_by_label("Måldatum").fill((today + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Spara förslaget").click()
    expect(page.get_by_text("Förslaget till SIA-plan är sparat.")).to_be_visible()
    expect(page.get_by_role("region", name="Version 1 (Förslag)")).to_contain_text("Språkcafé")
    check(page)
    page.get_by_role("button", name="Markera som överenskommen").click()
    expect(page.get_by_text("SIA-planen är överenskommen.")).to_be_visible()
    latest = page.get_by_role("region", name="Version 1 (Överenskommen)")
    expect(latest).to_contain_text("Stadsbiblioteket")
    check(page)

    pdf_href = latest.get_by_role("link", name="Ladda ner som PDF").get_attribute("href")
    assert pdf_href is not None
    latest.get_by_role("link", name="Utskrift för personen").click()
    expect(page.get_by_text("Språkcafé")).to_be_visible()
    check(page)
    pdf = page.request.get(urljoin(page.url, pdf_href))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def transfer(page: Page, base: str, check: CheckPage, case_url: str) -> None:
    """socsek hands the case to ug, who records the transfer alignment with the guide."""
    page.goto(case_url)
    page.get_by_role("link", name="Överför till utredningsgruppen").click()
    check(page)
    page.get_by_label("Socialsekreterare, utredning").select_option(label="Ulf Utredare")
    page.get_by_role("button", name="Överför").click()
    expect(page.get_by_text("Ärendet är överfört till utredningsgruppen.")).to_be_visible()
    check(page)
    log_out(page)

    log_in(page, base, "ug")
    page.goto(case_url)
    page.get_by_role("link", name="Överföring till utredningsgruppen").click()
    expect(page.get_by_text("Ärendet är överfört till utredningsgruppen.")).to_be_visible()
    check(page)
    page.get_by_label("Anteckningar").fill("Avstämning med Vera om bostadsvägledningen.")
    page.get_by_role("button", name="Signera avstämningen").click()
    expect(page.get_by_text("Avstämningen är signerad.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Tillbaka till ärendet").click()
    steps = page.get_by_role("table", name="Ärendets steg i ordning")
    for title in (
        "Fördelning",
        "SIA-avstämning",
        "Samhällsvägledningsmöte (SVA)",
        "Nybesök (IB:3)",
        "SIA-plan överenskommen",
        "Överföring till utredningsgruppen",
    ):
        expect(steps.get_by_role("row", name=title)).to_contain_text("Klart")
    expect(page.get_by_role("region", name="Nästa steg")).to_contain_text("Inga öppna steg.")
    expect(page.get_by_role("region", name="Ärendeteam")).to_contain_text("Ulf Utredare")
    check(page)
    log_out(page)


def visit_the_other_case_pages(page: Page, base: str, check: CheckPage, case_url: str) -> None:
    """The manager's view of the documents, referrals, first-contact correction and calendar."""
    page.goto(case_url)
    page.get_by_role("link", name="Begärda handlingar").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Begärda handlingar")
    expect(page.get_by_role("main")).to_contain_text("Personbevis")
    check(page)
    page.goto(case_url)
    page.get_by_role("link", name="Remisser till andra enheter").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remisser")
    check(page)
    page.goto(case_url + "aktualiseringsdatum/")
    expect(page.get_by_label("Aktualiseringsdatum")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Kalender").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kalender")
    check(page)


def guide_of_another_municipality() -> User:
    organisation = Organisation.objects.create(
        name="Grannkommun", kind=Organisation.Kind.MUNICIPALITY
    )
    unit = Unit.objects.create(
        organisation=organisation, name="Samhällsvägledning", kind=Unit.Kind.COMMUNITY_GUIDANCE
    )
    user = User.objects.create_user(
        username="vagledare-granne", password=PASSWORD, first_name="Greta", last_name="Granne"
    )
    Membership.objects.create(user=user, unit=unit, role=Role.COMMUNITY_GUIDE)
    give_authenticator(user)  # as every persona has, so log_in passes the code step
    return user


def assert_never_sees_case(page: Page, check: CheckPage, case_url: str) -> None:
    for path in ("", "avstamning/", "samhallsvagledning/", "nybesok/", "sia-plan/"):
        response = page.goto(case_url + path)
        assert response is not None
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
        expect(page.get_by_text("Tesfay")).to_have_count(0)
    check(page)
    page.goto(case_url.split("/arenden/")[0] + "/")
    expect(page.get_by_text("Tesfay")).to_have_count(0)


def test_the_personas_take_a_newcomer_through_every_sia_step(
    live_server: object,
    staff: dict[str, User],
    browser: Browser,
    page: Page,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    case_url = register_and_open_case(page, base, assert_accessible)
    case = Case.objects.get(pk=case_url.rstrip("/").rsplit("/", 1)[-1])
    log_out(page)

    allocate(page, base, assert_accessible, case.reference)
    record_alignment(page, base, assert_accessible, case_url)

    guide_context = browser.new_context(locale="sv-SE")
    try:
        guide = guide_context.new_page()
        guide.set_default_timeout(10_000)
        log_in(guide, base, "vagledare1")
        hold_guidance_meeting(guide, assert_accessible, case_url, case.reference)
        first_visit_with_live_call(page, guide, assert_accessible, case_url)
    finally:
        guide_context.close()

    agree_plan(page, assert_accessible, case_url)
    transfer(page, base, assert_accessible, case_url)

    log_in(page, base, "chef")
    page.get_by_role("link", name="Enhetsöversikt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enhetsöversikt")
    expect(page.get_by_role("region", name="Arbetsbelastning")).to_contain_text("Vera Vägledare")
    assert_accessible(page)
    page.goto(case_url)
    timeline = page.get_by_role("region", name="Händelser i ärendet")
    for event in (
        "Aktualiserade ärende",
        "Fördelade ärende",
        "Dokumenterade SIA-avstämning",
        "Dokumenterade samhällsvägledningsmöte",
        "Kallade in samhällsvägledare",
        "Svarade på inkallning",
        "Dokumenterade nybesök",
        "Kom överens om SIA-plan",
        "Överförde ärende till utredningsgruppen",
    ):
        expect(timeline).to_contain_text(event)
    assert_accessible(page)
    visit_the_other_case_pages(page, base, assert_accessible, case_url)
    log_out(page)

    log_in(page, base, "annan")
    assert_never_sees_case(page, assert_accessible, case_url)
    log_out(page)

    guide_of_another_municipality()
    log_in(page, base, "vagledare-granne")
    assert_never_sees_case(page, assert_accessible, case_url)
