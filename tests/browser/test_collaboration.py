"""A SIP from the person's consent to the signed record, in a real browser.

socsek records the person's SIP consent naming Arbetsförmedlingen and opens its print
view; plans a SIP (a fourth life area is refused and nothing is written); adds the AF
caseworker as a party; cannot send the invitations before the consent is linked; links
it, books the interpreter, prints the person's invitation letter and sends the
invitations. The AF caseworker finds the meeting in her calendar and downloads its
iCalendar file, which names no person. After the meeting, socsek documents what each
party said and is responsible for, hands the follow-up meeting to AF, registers the
person's paper signature and signs; AF signs last, which freezes the record, and socsek
logs the person's copy. Every page visited passes an axe-core accessibility check.

A second, shorter test visits the other collaboration pages of one case with axe and
adds a task to the team's shared action plan.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from conftest import PASSWORD
from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent.models import Consent
from sia.groups import services as groups
from sia.people.models import Person
from tests.browser.conftest import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]
GIVEN_NAME = "Hiwet"
FAMILY_NAME = "Mebrahtu"
PERSON_NAME = f"{GIVEN_NAME} {FAMILY_NAME}"
TITLE = "SIP om arbete, SFI och hälsa"
SIP = "SIP (samordnad individuell plan)"
AF_STAFF = "Alva Förmedlare (Arbetsförmedlingen)"
CHECKLIST = "Checklista"


def log_in(page: Page, base: str, username: str) -> None:
    """Sign in with the password and the code from the persona's app (tests/browser/conftest)."""
    page.goto(f"{base}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    pass_second_factor(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")


def status_of(page: Page) -> Locator:
    """The meeting's status: the first fact on its page."""
    return page.get_by_role("definition").first


def local_input(moment: dt.datetime) -> str:
    """The value a datetime-local input takes, in the app's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def next_week_at_ten() -> dt.datetime:
    return timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def af_page(browser: Browser) -> Iterator[Page]:
    """A second browser for the AF caseworker, with its own session."""
    context = browser.new_context(locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sip_case(make_person: Callable[..., Person], make_case: Callable[..., Case]) -> Case:
    """A case opened by socsek, with vagledare1 on its team, whose person needs a
    Tigrinya interpreter (Tigrinya has no interface translation)."""
    person = make_person(
        given_name=GIVEN_NAME,
        family_name=FAMILY_NAME,
        interpreter_needed=True,
        interpreter_language="ti",
        preferred_languages=["ti"],
    )
    return make_case(person, team=("vagledare1",))


def record_sip_consent(page: Page, base: str, check: CheckPage, case: Case) -> Consent:
    """socsek records the SIP consent naming AF, opens its print view, sees it listed."""
    page.goto(f"{base}/personer/{case.person_id}/samtycken/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PERSON_NAME)
    expect(page.get_by_text("Inga samtycken är dokumenterade.")).to_be_visible()
    check(page)
    page.get_by_label("Samtycke till SIP").check()
    page.get_by_label("Arbetsförmedlingen", exact=True).check()
    page.get_by_label("Samverkansmöten och dokumentation").check()
    page.get_by_label("Ärendets steg och ansvariga").check()
    page.get_by_label("Syfte").fill("Samordna stödet från kommunen och Arbetsförmedlingen.")
    page.get_by_label("Personen själv").check()
    page.get_by_label("Skriftligt").check()
    page.get_by_role("button", name="Spara samtycket").click()
    expect(page.get_by_text("Samtycket är dokumenterat.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samtycke till SIP")
    check(page)

    page.get_by_role("link", name="Utskrift för personen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt samtycke")
    expect(page.get_by_role("main")).to_contain_text("Arbetsförmedlingen")
    expect(page.get_by_role("main")).to_contain_text("Samverkansmöten och dokumentation")
    check(page)

    page.goto(f"{base}/personer/{case.person_id}/samtycken/")
    consents = page.get_by_role("table", name="Personens samtycken")
    expect(consents).to_contain_text("Samtycke till SIP")
    expect(consents).to_contain_text("Arbetsförmedlingen")
    check(page)
    return Consent.objects.get(person_id=case.person_id)


def plan_sip(page: Page, base: str, check: CheckPage, case: Case) -> Meeting:
    """socsek plans the SIP: four life areas are refused, three are accepted."""
    page.goto(f"{base}/arenden/{case.pk}/moten/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samverkansmöten")
    check(page)
    page.get_by_label("Typ av möte").select_option(label=SIP)
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Syfte").fill("Komma överens om vem som gör vad inför arbete och SFI.")
    page.get_by_label("Ja, personen vill ha en SIP").check()
    for area in ("Arbete och sysselsättning", "Utbildning och SFI", "Psykisk hälsa", "Boende"):
        page.get_by_label(area).check()
    page.get_by_label("Datum och tid").fill(local_input(next_week_at_ten()))
    page.get_by_label("Plats", exact=True).fill("Stadshuset, rum 4")
    page.get_by_label("Dagordning").fill("1. Läget nu\n2. Vem gör vad\n3. Uppföljning")
    page.get_by_role("button", name="Planera mötet").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("En SIP tar upp högst tre livsområden.")
    expect(refusal).to_contain_text("Fler livsområden delas upp på ytterligare")
    expect(page.get_by_role("table", name="SIP, SamSIP")).to_contain_text("Inga möten.")
    assert not Meeting.objects.filter(case=case).exists()
    check(page)

    page.get_by_label("Boende").uncheck()
    page.get_by_role("button", name="Planera mötet").click()
    expect(page.get_by_text("Mötet är planerat.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SIP}: {TITLE}")
    expect(status_of(page)).to_have_text("Planerat")
    # Every form field has its own label: the meeting's "Form" select is not shadowed by
    # the interpreter form's radio group of the same field name.
    expect(page.get_by_role("combobox", name="Form", exact=True)).to_have_count(1)
    check(page)
    meeting = Meeting.objects.get(case=case)
    assert sorted(meeting.life_areas) == ["education", "mental_health", "work"]
    return meeting


def prepare_and_invite(page: Page, check: CheckPage, meeting: Meeting) -> None:
    """Add AF, refuse invitations without consent, link it, book the interpreter,
    print the person's invitation letter, then send the invitations."""
    parties = page.get_by_role("table", name="Parter, kallelser, signering och kopior")
    page.get_by_label("Medarbetare i SIA").check()
    page.get_by_label("Medarbetare", exact=True).select_option(label=AF_STAFF)
    page.get_by_role("button", name="Lägg till part").click()
    expect(page.get_by_text("Parten är tillagd.")).to_be_visible()
    expect(parties).to_contain_text("Alva Förmedlare")
    expect(parties).to_contain_text(PERSON_NAME)
    check(page)

    page.get_by_role("button", name="Markera kallelserna som skickade").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Koppla ett giltigt samtycke till SIP innan kallelserna skickas."
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.invitations_sent_at is None
    assert not meeting.parties.filter(invited_at__isnull=False).exists()
    check(page)

    consent = page.get_by_role("region", name="Samtycke", exact=True)
    expect(consent).to_contain_text("Inget samtycke är kopplat till mötet.")
    consent.get_by_label("Samtycke").select_option(index=1)
    page.get_by_role("button", name="Koppla samtycket").click()
    expect(page.get_by_text("Samtycket är kopplat till mötet.")).to_be_visible()
    expect(consent).to_contain_text("Samtycke till SIP, lämnat")
    check(page)

    interpreter = page.get_by_role("region", name="Tolk")
    expect(interpreter).to_contain_text("Personen behöver tolk.")
    interpreter.get_by_label("Platstolk").check()
    interpreter.get_by_label("Introduktion till tolken").fill("SIP: samordnad individuell plan.")
    page.get_by_role("button", name="Boka tolk").click()
    expect(page.get_by_text("Tolken är beställd.")).to_be_visible()
    expect(interpreter).to_contain_text("tigrinja")
    check(page)

    page.get_by_role("link", name=f"Kallelse till {PERSON_NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kallelse till {SIP}")
    letter = page.get_by_role("main")
    expect(letter).to_contain_text("Kallelsen är skriven på svenska.")
    expect(letter).to_contain_text("Komma överens om vem som gör vad")
    for area in ("Arbete och sysselsättning", "Utbildning och SFI", "Psykisk hälsa"):
        expect(letter).to_contain_text(area)
    expect(letter).to_contain_text("Tolk på tigrinja är bokad (Platstolk).")
    expect(letter).to_contain_text(re.compile(r"Alva Förmedlare\s*,\s*Arbetsförmedlingen"))
    check(page)
    page.get_by_role("link", name="Tillbaka till mötet").click()

    page.get_by_role("button", name="Markera kallelserna som skickade").click()
    expect(page.get_by_text("Kallelserna är markerade som skickade.")).to_be_visible()
    expect(status_of(page)).to_have_text("Kallelser skickade")
    expect(page.get_by_text(f"Kallad {timezone.localdate().isoformat()}")).to_have_count(3)
    checklist = page.get_by_role("region", name=CHECKLIST)
    for item in (
        "Samtycke kopplat och giltigt",
        "Kallelse skickad till alla parter",
        "Tolk bokad",
    ):
        expect(checklist.get_by_role("listitem").filter(has_text=item)).to_contain_text("Klart")
    check(page)


def af_sees_it_in_her_calendar(
    af: Page, base: str, check: CheckPage, meeting: Meeting, case: Case
) -> str:
    """The AF caseworker finds the invited meeting in her calendar; its .ics names no one."""
    log_in(af, base, "af")
    af.goto(f"{base}/kalender/")
    expect(af.get_by_role("heading", level=1)).to_have_text("Kalender")
    expect(af.get_by_role("link", name=TITLE)).to_be_visible()
    check(af)
    af.get_by_role("link", name=TITLE).click()
    expect(af.get_by_role("heading", level=1)).to_have_text(f"{SIP}: {TITLE}")
    expect(af.get_by_role("button", name="Markera kallelserna som skickade")).to_have_count(0)
    check(af)
    meeting_url = af.url

    ics_link = af.get_by_role("link", name="Lägg in i din kalender (iCalendar-fil)")
    with af.expect_download() as download_info:
        ics_link.click()
    download = download_info.value
    assert download.suggested_filename == f"sia-mote-{meeting.pk}.ics"
    text = Path(download.path()).read_text(encoding="utf-8")
    href = ics_link.get_attribute("href")
    assert href is not None
    response = af.request.get(urljoin(meeting_url, href))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    for body in (text, response.text()):
        assert body.startswith("BEGIN:VCALENDAR")
        assert case.reference in body
        assert GIVEN_NAME not in body
        assert FAMILY_NAME not in body
    return meeting_url


def document_meeting(page: Page, check: CheckPage, meeting: Meeting) -> None:
    """socsek writes down what each party said and is responsible for."""
    held = timezone.localtime(Meeting.objects.get(pk=meeting.pk).starts_at).date()
    page.reload()
    expect(page.get_by_role("heading", level=2, name="Dokumentation")).to_be_visible()
    check(page)
    page.get_by_label("Mötet hölls").fill(held.isoformat())
    page.get_by_label("Antecknare").select_option(label="Sara Sekreterare")
    page.get_by_label("Minnesanteckningar").fill("Tolk på plats. Alla parter närvarade.")
    page.get_by_label("Övergripande ansvar").select_option(label="Sara Sekreterare")
    said = {
        "Sara Sekreterare": ("Kommunen stöttar med bostad.", "Bostadsvägledning"),
        PERSON_NAME: ("Jag vill börja arbeta inom vården.", "Gå på SFI varje dag"),
        "Alva Förmedlare": ("Arbetsförmedlingen erbjuder praktik.", "Praktikplats i vården"),
    }
    for name, (statement, responsibility) in said.items():
        party = page.get_by_role("group", name=name, exact=True)
        party.get_by_label("Närvaro").select_option(label="Närvarade")
        party.get_by_label("Vad parten sa").fill(statement)
        party.get_by_label("Ansvarar för").fill(responsibility)
    page.get_by_role("button", name="Spara dokumentationen").click()
    expect(page.get_by_text("Dokumentationen av mötet är sparad.")).to_be_visible()
    expect(status_of(page)).to_have_text("Genomfört")
    record = page.get_by_role("table", name="Vad varje part sa och ansvarar för")
    for name, (statement, responsibility) in said.items():
        row = record.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(statement)
        expect(row).to_contain_text(responsibility)
    expect(page.get_by_role("region", name="Dokumentation")).to_contain_text("Sara Sekreterare")
    check(page)


def hand_follow_up_to_af(page: Page, check: CheckPage) -> None:
    """The follow-up is booked in the meeting and handed to the AF caseworker."""
    follow_up = page.get_by_role("region", name="Uppföljning", exact=True)
    expect(follow_up).to_contain_text("Ingen uppföljning är bokad.")
    starts = next_week_at_ten() + dt.timedelta(days=90)
    follow_up.get_by_label("Tid för uppföljningen").fill(local_input(starts))
    follow_up.get_by_label("Sammankallas av").select_option(label="Alva Förmedlare")
    follow_up.get_by_role("button", name="Boka uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är bokad.")).to_be_visible()
    checklist = page.get_by_role("region", name=CHECKLIST)
    expect(
        checklist.get_by_role("listitem").filter(has_text="Uppföljning bokad eller inte behövs")
    ).to_contain_text("Klart")
    check(page)

    meeting_url = page.url
    follow_up.get_by_role("link", name=f"Uppföljning: {TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SIP}: Uppföljning: {TITLE}")
    expect(page.get_by_role("main")).to_contain_text("Uppföljningen sammankallas av")
    expect(page.get_by_role("main")).to_contain_text("Alva Förmedlare")
    check(page)
    page.goto(meeting_url)


def sign_and_copy(page: Page, af: Page, check: CheckPage, af_meeting_url: str) -> None:
    """The person's paper signature and socsek's own; AF signs last; the person's copy."""
    page.get_by_role("button", name=f"Registrera underskrift på papper av {PERSON_NAME}").click()
    expect(page.get_by_text("Signeringen är registrerad.")).to_be_visible()
    page.get_by_role("button", name="Signera för dig själv").click()
    expect(page.get_by_text("Signeringen är registrerad.")).to_be_visible()
    parties = page.get_by_role("table", name="Parter, kallelser, signering och kopior")
    expect(parties.get_by_role("row").filter(has_text=PERSON_NAME)).to_contain_text(
        "Signerat på papper"
    )
    expect(parties.get_by_role("row").filter(has_text="Sara Sekreterare")).to_contain_text(
        "Signerat i systemet"
    )
    expect(status_of(page)).to_have_text("Genomfört")
    check(page)

    af.goto(af_meeting_url)
    expect(status_of(af)).to_have_text("Genomfört")
    check(af)
    af.get_by_role("button", name="Signera för dig själv").click()
    expect(af.get_by_text("Signeringen är registrerad.")).to_be_visible()
    expect(status_of(af)).to_have_text("Signerat av alla")
    expect(
        af.get_by_text("Dokumentationen är signerad av alla och kan inte ändras.")
    ).to_be_visible()
    check(af)
    # The follow-up was handed to AF: she convenes it, so she may prepare and invite.
    af.get_by_role("link", name=f"Uppföljning: {TITLE}").click()
    expect(af.get_by_role("heading", level=1)).to_have_text(f"{SIP}: Uppföljning: {TITLE}")
    expect(status_of(af)).to_have_text("Planerat")
    expect(af.get_by_role("button", name="Markera kallelserna som skickade")).to_be_visible()
    check(af)

    page.reload()
    expect(status_of(page)).to_have_text("Signerat av alla")
    expect(
        page.get_by_text("Dokumentationen är signerad av alla och kan inte ändras.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Spara dokumentationen")).to_have_count(0)
    person_row = parties.get_by_role("row").filter(has_text=PERSON_NAME)
    person_row.get_by_label("Kopia lämnad").fill(timezone.localdate().isoformat())
    person_row.get_by_label("Hur").select_option(label="Överlämnad på mötet")
    person_row.get_by_role("button", name=f"Registrera kopia till {PERSON_NAME}").click()
    expect(page.get_by_text("Kopian är registrerad.")).to_be_visible()
    expect(person_row).to_contain_text("Överlämnad på mötet")
    check(page)


def test_a_sip_from_consent_to_signed_record(
    live_server: object,
    staff: dict[str, User],
    make_person: Callable[..., Person],
    make_case: Callable[..., Case],
    page: Page,
    af_page: Page,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    case = sip_case(make_person, make_case)
    log_in(page, base, "socsek")
    consent = record_sip_consent(page, base, assert_accessible, case)
    assert consent.kind == Consent.Kind.SIP

    meeting = plan_sip(page, base, assert_accessible, case)
    prepare_and_invite(page, assert_accessible, meeting)
    af_meeting_url = af_sees_it_in_her_calendar(af_page, base, assert_accessible, meeting, case)

    # Time passes between the invitations and the meeting: a meeting is planned in the
    # future and documented once held (held_on not in the future), so move it into the past.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    document_meeting(page, assert_accessible, meeting)
    hand_follow_up_to_af(page, assert_accessible)
    sign_and_copy(page, af_page, assert_accessible, af_meeting_url)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED
    assert not meeting.parties.filter(signed_at__isnull=True).exists()
    person_party = meeting.parties.get(kind=MeetingParty.Kind.PERSON)
    assert person_party.signature_method == MeetingParty.SignatureMethod.ON_PAPER
    assert person_party.copy_sent_on == timezone.localdate()
    assert meeting.follow_ups.get().follow_up_convened_by is not None


def test_the_other_collaboration_pages_of_a_case_pass_axe(
    live_server: object,
    staff: dict[str, User],
    make_case: Callable[..., Case],
    page: Page,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    case = make_case(team=("vagledare1",))
    series = groups.create_series(
        actor=staff["socsek"],
        data=groups.SeriesInput(
            title="Hälsoskola",
            unit_id=case.owning_unit_id,
            first_date=timezone.localdate() + dt.timedelta(days=7),
            place="Medborgarhuset",
            preset="halsoskola",
        ),
        channel=Channel.SYSTEM,
    )
    session = series.sessions.order_by("number").first()
    assert session is not None
    log_in(page, base, "socsek")
    for path in (
        f"/arenden/{case.pk}/team/",
        f"/arenden/{case.pk}/konsultationer/",
        f"/arenden/{case.pk}/kartlaggning/",
        f"/arenden/{case.pk}/kartlaggning/samtal/talk_1/",
        f"/arenden/{case.pk}/framtidsplan/",
        f"/arenden/{case.pk}/grupper/",
        "/grupper/",
        f"/grupper/{series.pk}/",
        f"/grupper/{series.pk}/tillfallen/{session.pk}/",
        "/konsultationer/",
        "/moten/",
    ):
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    page.goto(f"{base}/arenden/{case.pk}/team/")
    page.get_by_label("Uppgift", exact=True).fill("Boka tid hos tandläkaren")
    page.get_by_label("Ansvarig part").select_option(label="Demokommun")
    page.get_by_label("Ansvarig person").select_option(label="Vera Vägledare (Demokommun)")
    due = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Klart senast").fill(due.isoformat())
    page.get_by_role("button", name="Lägg till i handlingsplanen").click()
    expect(page.get_by_text("Uppgiften är tillagd i handlingsplanen.")).to_be_visible()
    tasks = page.get_by_role("table", name="Uppgifter som Demokommun ansvarar för")
    row = tasks.get_by_role("row").filter(has_text="Boka tid hos tandläkaren")
    expect(row).to_contain_text("Vera Vägledare")
    expect(row).to_contain_text(due.isoformat())
    assert_accessible(page)
