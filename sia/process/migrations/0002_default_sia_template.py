"""Ship the default SIA process template and the catalogues its steps use (seeds 000/001)."""

from django.db import migrations

CATALOGUES = [
    (
        "sia-documents",
        "Begäran om handlingar",
        "documents",
        [
            ("uppehallstillstand", "Uppehållstillståndskort (UT-kort)",
             "Beslutet om uppehållstillstånd och kortet från Migrationsverket."),
            ("id-handling", "Pass eller annan id-handling",
             "Pass, id-kort eller annan handling som styrker identiteten."),
            ("personbevis", "Personbevis",
             "Beställs från Skatteverket efter folkbokföringen."),
            ("hyreskontrakt", "Hyreskontrakt eller boendeavtal",
             "Kontrakt eller avtal som visar var och hur personen bor."),
            ("kontoutdrag", "Kontoutdrag för de tre senaste månaderna",
             "Från banken, för alla konton personen har."),
            ("af-beslut", "Beslut om etableringsersättning",
             "Beslut från Försäkringskassan efter inskrivning hos Arbetsförmedlingen."),
            ("fk-beslut", "Beslut om bostadsbidrag, barnbidrag och andra ersättningar",
             "Beslut från Försäkringskassan om de ersättningar som sökts."),
            ("handlingsplan", "Handlingsplan från Arbetsförmedlingen",
             "Den individuella handlingsplanen i etableringsprogrammet."),
            ("sfi-intyg", "Intyg om anmälan till SFI",
             "Från SFI-skolan eller kommunens vuxenutbildning."),
            ("lakarintyg", "Läkarintyg vid nedsatt arbetsförmåga",
             "Behövs bara om personen inte kan delta i heltidsaktiviteter."),
        ],
    ),
    (
        "sia-guidance-info",
        "Informationspunkter vid samhällsvägledningsmötet",
        "information",
        [
            ("handlingar", "Listan över begärda handlingar: vad begreppen betyder och var de hämtas", ""),
            ("myndigheter", "Hur myndigheterna fungerar och vad de kan bistå med: AF, FK, SKV, PM, JT och SFI", ""),
            ("flyttanmalan", "Flyttanmälan hos Skatteverket och personnummer", ""),
            ("forsakringstillhorighet", "Försäkringstillhörighet hos Försäkringskassan", ""),
            ("ersattningar", "Ansökan om ersättningar enligt listan", ""),
            ("barnomsorg", "Barnomsorg, öppna förskolan och föräldraledighet", ""),
            ("bank", "Bankkonto och BankID", ""),
        ],
    ),
    (
        "ib3-assessment",
        "Kartläggningsmall för nybesök (IB:3)",
        "assessment",
        [
            ("boende", "Boende", "Boendeform, kontrakt, trångboddhet, behov av bostadsvägledning."),
            ("familj", "Familj och nätverk", "Hushållet, barn, anhöriga i Sverige och utomlands."),
            ("halsa", "Hälsa", "Fysisk och psykisk hälsa, kontakt med vården, behov av anpassning."),
            ("utbildning", "Utbildning och språk", "Skolgång, utbildning, språk, SFI."),
            ("arbete", "Arbetslivserfarenhet", "Yrken, arbetsår, kontakt med Arbetsförmedlingen."),
            ("ekonomi", "Ekonomi och försörjning", "Ersättningar, skulder, bankkonto."),
            ("myndighetskontakter", "Kontakter med myndigheter", "AF, FK, SKV, Migrationsverket."),
            ("stodbehov", "Behov av stöd framöver", "Vad personen själv vill ha stöd med."),
        ],
    ),
    (
        "sia-activities",
        "Aktiviteter i SIA-planen",
        "activities",
        [
            ("foraldraskap", "Föräldraskap i Sverige", ""),
            ("sprakcafe", "Språkcafé", ""),
            ("informationstraffar", "Informationsträffar", ""),
            ("forstarkt-samhallsvagledning", "Förstärkt samhällsvägledning", ""),
            ("bostadsvagledning", "Bostadsvägledning", ""),
        ],
    ),
]

# key, title, order, role, anchor, anchor_step, counting, days, not_later_than, at_start,
# meeting type, catalogue keys
STEPS = [
    ("allocation", "Fördelning", 1, "deputy_unit_manager", "first_contact", "", "working_day",
     1, "", True, "", []),
    ("alignment", "SIA-avstämning", 2, "reception_social_worker", "first_contact", "",
     "working_day", 3, "", True, "alignment", ["sia-documents"]),
    ("guidance_meeting", "Samhällsvägledningsmöte (SVA)", 3, "community_guide", "step",
     "alignment", "after", 10, "first_visit", True, "guidance",
     ["sia-guidance-info", "sia-documents"]),
    ("first_visit", "Nybesök (IB:3)", 4, "reception_social_worker", "first_contact", "",
     "after", 15, "", True, "first_visit", ["ib3-assessment", "sia-documents"]),
    ("sia_plan", "SIA-plan överenskommen", 5, "reception_social_worker", "step", "first_visit",
     "after", 0, "", True, "", ["sia-activities"]),
    ("transfer", "Överföring till utredningsgruppen", 6, "assessment_social_worker", "opened",
     "", "working_day", 3, "", False, "alignment", []),
]


def create_default(apps, schema_editor):
    Catalogue = apps.get_model("process", "Catalogue")
    CatalogueItem = apps.get_model("process", "CatalogueItem")
    ProcessTemplate = apps.get_model("process", "ProcessTemplate")
    StepDefinition = apps.get_model("process", "StepDefinition")
    catalogues = {}
    for key, title, kind, items in CATALOGUES:
        catalogue = Catalogue.objects.create(key=key, title=title, kind=kind)
        catalogues[key] = catalogue
        for order, (item_key, label, help_text) in enumerate(items, start=1):
            CatalogueItem.objects.create(
                catalogue=catalogue, key=item_key, label=label, help_text=help_text, order=order
            )
    template = ProcessTemplate.objects.create(
        key="sia",
        name="SIA – Systematiskt integrationsarbete",
        version=1,
        is_active=True,
        require_residence_permit=True,
        min_age=18,
        max_age=64,
        max_years_since_permit=3,
        arrival_categories=["abo", "ebo", "quota_refugee", "family_reunification"],
    )
    for (key, title, order, role, anchor, anchor_step, counting, days, not_later, at_start,
         meeting, catalogue_keys) in STEPS:
        step = StepDefinition.objects.create(
            template=template,
            key=key,
            title=title,
            order=order,
            responsible_role=role,
            anchor=anchor,
            anchor_step=anchor_step,
            counting=counting,
            days=days,
            not_later_than_step=not_later,
            opens_at_start=at_start,
            meeting_type=meeting,
        )
        step.catalogues.set([catalogues[k] for k in catalogue_keys])


def remove_default(apps, schema_editor):
    ProcessTemplate = apps.get_model("process", "ProcessTemplate")
    StepDefinition = apps.get_model("process", "StepDefinition")
    Catalogue = apps.get_model("process", "Catalogue")
    CatalogueItem = apps.get_model("process", "CatalogueItem")
    templates = ProcessTemplate.objects.filter(key="sia", version=1)
    StepDefinition.objects.filter(template__in=templates).delete()
    templates.delete()
    keys = [key for key, *_rest in CATALOGUES]
    CatalogueItem.objects.filter(catalogue__key__in=keys).delete()
    Catalogue.objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("process", "0001_process_templates_and_case_steps")]

    operations = [migrations.RunPython(create_default, remove_default)]
