"""Ship the templates of the assessment talks 1–3 and the fixed team's joint assessment (seed 002).

The item keys differ from those of the first-visit template (ib3-assessment), because the
first visit reads labels from every assessment catalogue by key.
"""

from django.db import migrations

CATALOGUES = [
    (
        "talk_1",
        "Fördjupningssamtal 1: nuvarande situation",
        "Fördjupat kartläggningssamtal 1 har fokus på nuläget.",
        [
            ("vardag", "Vardagen just nu", "Boende, familj, ekonomi och hur en vanlig dag ser ut."),
            ("halsa-idag", "Hälsa och välbefinnande",
             "Fysisk och psykisk hälsa, sömn, smärta, kontakt med vården."),
            ("sprak", "Svenska och SFI", "Var personen är i svenskan och hur SFI fungerar."),
            ("utbildning-yrke", "Utbildning och yrkeserfarenhet",
             "Skolgång, utbildning och arbete i hemlandet och i Sverige."),
            ("natverk", "Socialt nätverk", "Vilka personen har omkring sig här och i hemlandet."),
            ("myndigheter", "Kontakter med myndigheter",
             "AF, FK, Skatteverket, vården: vad fungerar och vad är svårt."),
            ("svart-nu", "Det som är svårt just nu", "Hinder personen själv ser."),
        ],
    ),
    (
        "talk_2",
        "Fördjupningssamtal 2: riktning framåt",
        "Fördjupat kartläggningssamtal 2 har fokus på riktning för framtiden.",
        [
            ("drommar", "Drömmar och mål", "Vad personen vill med sitt liv i Sverige, med egna ord."),
            ("intressen", "Intressen och styrkor", "Vad personen är bra på och tycker om att göra."),
            ("arbete-studier", "Arbete och studier",
             "Yrken eller utbildningar personen vill pröva, fria från könsnormer."),
            ("halsa-framat", "Hälsa framåt", "Vad som behövs för att må bra och orka."),
            ("stod", "Stöd som behövs", "Från teamet, myndigheterna och nätverket."),
        ],
    ),
    (
        "talk_3",
        "Fördjupningssamtal 3: nästa steg och framtidsplan",
        "Fördjupat kartläggningssamtal 3 har fokus på nästa steg och framtids- och hälsoplanen.",
        [
            ("nasta-steg", "Nästa steg", "Vad personen själv bestämmer blir nästa steg."),
            ("varfor", "Varför", "Varför personen valde just det steget."),
            ("halsoplan", "Hälsoplan", "Vad personen gör för sin hälsa och vilket stöd som behövs."),
            ("uppfoljning", "Uppföljning", "När och hur teamet följer upp planen med personen."),
        ],
    ),
    (
        "joint_assessment",
        "Gemensam kartläggning i det fasta teamet",
        "Den initiala kartläggningen görs gemensamt i teamet (AF och kommunen).",
        [
            ("halsotillstand", "Hälsa", "Fysisk och psykisk hälsa, funktionsnedsättning, intyg från vården."),
            ("utbildningsniva", "Utbildningsnivå", "Skolgång och utbildning, i hemlandet och i Sverige."),
            ("arbetslivserfarenhet", "Arbetslivserfarenhet", "Yrken och år i arbete."),
            ("flykt-flytt", "Orsak till flykt eller flytt",
             "Bara det personen själv vill berätta; ett känsligt ämne kan skjutas upp."),
            ("familjesituation", "Familjesituation", "Hushållet, barn och anhöriga här och i hemlandet."),
            ("problem-nu", "Problem i den nuvarande livssituationen",
             "Till exempel boende, skulder eller kontakter med vården och myndigheter."),
        ],
    ),
]


def create_catalogues(apps, schema_editor):
    Catalogue = apps.get_model("process", "Catalogue")
    CatalogueItem = apps.get_model("process", "CatalogueItem")
    for key, title, description, items in CATALOGUES:
        catalogue = Catalogue.objects.create(
            key=key, title=title, kind="assessment", description=description
        )
        for order, (item_key, label, help_text) in enumerate(items, start=1):
            CatalogueItem.objects.create(
                catalogue=catalogue, key=item_key, label=label, help_text=help_text, order=order
            )


def remove_catalogues(apps, schema_editor):
    """Remove the shipped templates, unless a talk has been recorded with them."""
    AssessmentTalk = apps.get_model("assessments", "AssessmentTalk")
    Catalogue = apps.get_model("process", "Catalogue")
    CatalogueItem = apps.get_model("process", "CatalogueItem")
    if AssessmentTalk.objects.exists():
        return
    keys = [key for key, *_rest in CATALOGUES]
    unused = Catalogue.objects.filter(key__in=keys, steps__isnull=True)
    CatalogueItem.objects.filter(catalogue__in=unused).delete()
    unused.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("process", "0002_default_sia_template"),
    ]

    operations = [migrations.RunPython(create_catalogues, remove_catalogues)]
