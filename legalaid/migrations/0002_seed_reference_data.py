"""Seed the reference data of DOMAIN.md §3 and §8: languages, courts of appeal, the 12 judicial
districts (since the reform of 1 April 2014) with their languages of proceedings, and matters.
Editable afterwards in the admin; reversible."""

from django.db import migrations

REFORM = "2014-04-01"

LANGUAGES = [
    ("nl", "Nederlands", True),
    ("fr", "Français", True),
    ("de", "Deutsch", True),
    ("en", "English", False),
    ("ar", "العربية (Arabic)", False),
    ("bg", "Български (Bulgarian)", False),
    ("es", "Español", False),
    ("fa", "فارسی (Persian)", False),
    ("it", "Italiano", False),
    ("pl", "Polski", False),
    ("ps", "پښتو (Pashto)", False),
    ("pt", "Português", False),
    ("ro", "Română", False),
    ("ru", "Русский (Russian)", False),
    ("so", "Soomaali", False),
    ("sq", "Shqip (Albanian)", False),
    ("ti", "ትግርኛ (Tigrinya)", False),
    ("tr", "Türkçe", False),
    ("uk", "Українська (Ukrainian)", False),
]

COURTS_OF_APPEAL = [
    ("antwerpen", "Antwerpen", "Anvers"),
    ("gent", "Gent", "Gand"),
    ("brussel", "Brussel", "Bruxelles"),
    ("bergen", "Bergen", "Mons"),
    ("luik", "Luik", "Liège"),
]

# code, NL, FR, DE, court of appeal, languages (first is the default; Brussels has none by default)
DISTRICTS = [
    ("antwerpen", "Antwerpen", "Anvers", "Antwerpen", "antwerpen", ["nl"]),
    ("limburg", "Limburg", "Limbourg", "Limburg", "antwerpen", ["nl"]),
    ("oost-vlaanderen", "Oost-Vlaanderen", "Flandre orientale", "Ostflandern", "gent", ["nl"]),
    ("west-vlaanderen", "West-Vlaanderen", "Flandre occidentale", "Westflandern", "gent", ["nl"]),
    ("leuven", "Leuven", "Louvain", "Löwen", "brussel", ["nl"]),
    ("brussel", "Brussel", "Bruxelles", "Brüssel", "brussel", ["nl", "fr"]),
    ("waals-brabant", "Waals-Brabant", "Brabant wallon", "Wallonisch-Brabant", "brussel", ["fr"]),
    ("henegouwen", "Henegouwen", "Hainaut", "Hennegau", "bergen", ["fr"]),
    ("luik", "Luik", "Liège", "Lüttich", "luik", ["fr"]),
    ("namen", "Namen", "Namur", "Namür", "luik", ["fr"]),
    ("luxemburg", "Luxemburg", "Luxembourg", "Luxemburg", "luik", ["fr"]),
    ("eupen", "Eupen", "Eupen", "Eupen", "luik", ["de"]),
]

MATTERS = [
    ("youth", "Youth law", "Section 1: family and youth"),
    ("criminal", "Criminal law", "Section 2: criminal"),
    ("victims", "Victim assistance", "Section 2: criminal"),
    ("trafficking", "Human trafficking", "Section 2: criminal"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("legalaid", "Language")
    CourtOfAppeal = apps.get_model("legalaid", "CourtOfAppeal")
    District = apps.get_model("legalaid", "District")
    DistrictLanguage = apps.get_model("legalaid", "DistrictLanguage")
    Matter = apps.get_model("legalaid", "Matter")
    for code, name, proceedings in LANGUAGES:
        Language.objects.create(code=code, name=name, proceedings=proceedings)
    for code, name_nl, name_fr in COURTS_OF_APPEAL:
        CourtOfAppeal.objects.create(code=code, name_nl=name_nl, name_fr=name_fr)
    for code, name_nl, name_fr, name_de, appeal, languages in DISTRICTS:
        District.objects.create(
            code=code, name_nl=name_nl, name_fr=name_fr, name_de=name_de, court_of_appeal_id=appeal
        )
        for language in languages:
            DistrictLanguage.objects.create(
                district_id=code,
                language_id=language,
                is_default=len(languages) == 1,
                valid_from=REFORM,
            )
    for code, name, section in MATTERS:
        Matter.objects.create(code=code, name=name, section=section)


def unseed(apps, schema_editor):
    for model in ("DistrictLanguage", "District", "CourtOfAppeal", "Matter", "Language"):
        apps.get_model("legalaid", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
