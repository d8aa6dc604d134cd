"""Ship the settlement unit's housing checklist (seed 003): a `process.Catalogue` of kind
housing that the administrator may extend or retire items of."""

from django.db import migrations

CATALOGUE_KEY = "housing-tasks"

ITEMS = [
    ("hyresavtal", "Hyresavtal", "Upprättande och hantering av hyresavtalet."),
    ("nycklar", "Nycklar", "Nycklar lämnas ut och kvitteras."),
    ("hemforsakring", "Hemförsäkring", "Hushållet har en hemförsäkring."),
    ("fordelning-bostad", "Fördelning av bostad", "Lägenheten är fördelad till hushållet."),
    ("flytt", "Omflyttning och flytt", "Planering och genomförande av flytt eller omflyttning."),
    ("besiktning", "Besiktning", "Besiktning av lägenheten vid in- eller utflyttning."),
    ("felanmalan", "Felanmälan", "Hushållet vet hur man gör en felanmälan, eller en är gjord."),
    ("klagomal", "Klagomål", "Klagomål från eller om hushållet är hanterade."),
    ("mobler-kvotflyktingar", "Möbler till kvotflyktingar",
     "Inköp av möbler och möblering av lägenheten för kvotflyktingar."),
    ("bostadsinformation", "Bostadsinformation",
     "Information om att bo i hyresrätt: hyra, tvättstuga, sopsortering, grannar."),
    ("naromradesvisning", "Närområdes- och stadsvisning",
     "Visning av närområdet och staden: affärer, vård, skolor, kollektivtrafik."),
]


def create_housing_catalogue(apps, schema_editor):
    """Create the housing checklist, unless it is already there."""
    Catalogue = apps.get_model("process", "Catalogue")
    CatalogueItem = apps.get_model("process", "CatalogueItem")
    catalogue, created = Catalogue.objects.get_or_create(
        key=CATALOGUE_KEY,
        defaults={
            "title": "Bostadsuppgifter",
            "kind": "housing",
            "description": "Bosättningsenhetens uppgifter kring bostaden, per hushåll.",
        },
    )
    if not created:
        return
    for order, (item_key, label, help_text) in enumerate(ITEMS, start=1):
        CatalogueItem.objects.create(
            catalogue=catalogue, key=item_key, label=label, help_text=help_text, order=order
        )


def remove_housing_catalogue(apps, schema_editor):
    """Remove the shipped checklist, unless a household's task uses one of its items."""
    Catalogue = apps.get_model("process", "Catalogue")
    CatalogueItem = apps.get_model("process", "CatalogueItem")
    HousingTask = apps.get_model("settlement", "HousingTask")
    if HousingTask.objects.filter(item__catalogue__key=CATALOGUE_KEY).exists():
        return
    unused = Catalogue.objects.filter(key=CATALOGUE_KEY, steps__isnull=True)
    CatalogueItem.objects.filter(catalogue__in=unused).delete()
    unused.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0001_initial"),
        ("process", "0004_alter_catalogue_kind"),
    ]

    operations = [migrations.RunPython(create_housing_catalogue, remove_housing_catalogue)]
