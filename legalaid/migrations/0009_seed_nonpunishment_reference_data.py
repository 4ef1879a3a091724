"""Seed the lists of the non-punishment record (DOMAIN.md §7): offence categories, indicators of
exploitation, legal bases, and the neutral line a guardian may be shown. Codes are stable
identifiers (statistics count by them); labels and periods are edited in the admin. Reversible.

Categories and indicators may be chosen from the day the Belgian non-punishment clause came into
force (1 July 2019); a retired entry gets a `valid_until`, it is never deleted or renamed."""

from django.db import migrations

LISTS_FROM = "2019-07-01"

# code, nl, fr, de, en
OFFENCE_CATEGORIES = [
    ("drugs", "Drugs (handel, bezit, vervoer)", "Stupéfiants (trafic, détention, transport)",
     "Betäubungsmittel (Handel, Besitz, Transport)", "Drugs (dealing, possession, transport)"),
    ("theft", "Diefstal", "Vol", "Diebstahl", "Theft"),
    ("recruiting_others", "Ronselen van anderen (o.a. minderjarigen in jeugdinstellingen)",
     "Recrutement d'autres personnes (notamment de mineurs en institution)",
     "Anwerbung anderer (u. a. Minderjähriger in Jugendeinrichtungen)",
     "Recruiting others (e.g. minors in youth institutions)"),
    ("fraud", "Fraude en oplichting", "Fraude et escroquerie", "Betrug", "Fraud"),
    ("violence", "Geweld", "Violence", "Gewalt", "Violence"),
    ("other", "Ander misdrijf", "Autre infraction", "Andere Straftat", "Other offence"),
]

EXPLOITATION_INDICATORS = [
    ("instructed_by_pimp", "In opdracht van de pooier", "Sur instruction du proxénète",
     "Auf Anweisung des Zuhälters", "Instructed by the pimp"),
    ("coercion_or_threats", "Dwang of bedreigingen", "Contrainte ou menaces",
     "Zwang oder Drohungen", "Coercion or threats"),
    ("deception", "Misleiding", "Tromperie", "Täuschung", "Deception"),
    ("emotional_dependency", "Emotionele afhankelijkheid", "Dépendance affective",
     "Emotionale Abhängigkeit", "Emotional dependency"),
    ("debt_bondage", "Schuldslavernij", "Servitude pour dettes", "Schuldknechtschaft",
     "Debt bondage"),
    ("image_blackmail", "Chantage met beelden", "Chantage aux images", "Erpressung mit Bildern",
     "Blackmail with images"),
    ("other", "Andere aanwijzing", "Autre indice", "Anderer Hinweis", "Other indicator"),
]

# code, nl, fr, de, en, valid from, valid until, notes
LEGAL_BASES = [
    (
        "be_old_cc_433quinquies_5",
        "Oud Strafwetboek, art. 433quinquies, § 5",
        "Ancien Code pénal, art. 433quinquies, § 5",
        "Altes Strafgesetzbuch, Art. 433quinquies § 5",
        "Old Criminal Code, art. 433quinquies § 5",
        "2019-07-01",
        "2026-04-07",
        "A victim of trafficking who took part in offences as a direct consequence of their "
        "exploitation incurs no penalty. In force from 1 July 2019 until the new Criminal Code "
        "came into force (8 April 2026). It may still be invoked for an offence committed while "
        "it was in force.",
    ),
    (
        "be_new_cc_non_punishment",
        "Nieuw Strafwetboek, non-punishmentbepaling (artikelnummer te verifiëren)",
        "Nouveau Code pénal, clause de non-punition (numéro d'article à vérifier)",
        "Neues Strafgesetzbuch, Straflosigkeitsklausel (Artikelnummer zu prüfen)",
        "New Criminal Code, non-punishment clause (article number to be verified)",
        "2026-04-08",
        None,
        "The successor of old art. 433quinquies § 5 in the new Criminal Code, in force since "
        "8 April 2026. TO VERIFY: the article number (and the wording) in the published Code; "
        "then put the number in the four labels. The code of this row stays as it is.",
    ),
    (
        "eu_2011_36_art8",
        "Richtlijn 2011/36/EU, art. 8 (zoals vervangen door Richtlijn (EU) 2024/1712)",
        "Directive 2011/36/UE, art. 8 (tel que remplacé par la directive (UE) 2024/1712)",
        "Richtlinie 2011/36/EU, Art. 8 (ersetzt durch Richtlinie (EU) 2024/1712)",
        "Directive 2011/36/EU, art. 8 (as replaced by Directive (EU) 2024/1712)",
        "2011-04-15",
        None,
        "Authorities may refrain from prosecuting or punishing victims for criminal or other "
        "unlawful acts they were compelled to commit as a direct consequence of being subjected "
        "to trafficking. Article 8 was replaced by Directive (EU) 2024/1712 (in force since "
        "14 July 2024; to verify: its transposition deadline); for earlier requests the original "
        "wording applies. The dates of this row are to verify.",
    ),
]

NOTICE = "defence_in_preparation"
NOTICE_TEXTS = [
    ("nl", "Er wordt een juridische verdediging voorbereid."),
    ("fr", "Une défense juridique est en cours de préparation."),
    ("de", "Eine rechtliche Verteidigung wird vorbereitet."),
]


def _labels(nl, fr, de, en):
    return {"label_nl": nl, "label_fr": fr, "label_de": de, "label_en": en}


def seed(apps, schema_editor):
    OffenceCategory = apps.get_model("legalaid", "OffenceCategory")
    ExploitationIndicator = apps.get_model("legalaid", "ExploitationIndicator")
    NonPunishmentLegalBasis = apps.get_model("legalaid", "NonPunishmentLegalBasis")
    GuardianNoticeText = apps.get_model("legalaid", "GuardianNoticeText")
    for model, rows in ((OffenceCategory, OFFENCE_CATEGORIES),
                        (ExploitationIndicator, EXPLOITATION_INDICATORS)):
        for position, (code, *labels) in enumerate(rows, start=1):
            model.objects.create(
                code=code, position=position, valid_from=LISTS_FROM, **_labels(*labels)
            )
    for position, (code, nl, fr, de, en, since, until, notes) in enumerate(LEGAL_BASES, start=1):
        NonPunishmentLegalBasis.objects.create(
            code=code,
            position=position,
            valid_from=since,
            valid_until=until,
            notes=notes,
            **_labels(nl, fr, de, en),
        )
    for language, text in NOTICE_TEXTS:
        GuardianNoticeText.objects.create(
            code=NOTICE, language_id=language, text=text, valid_from=LISTS_FROM
        )


def unseed(apps, schema_editor):
    for model in ("GuardianNoticeText", "NonPunishmentLegalBasis", "ExploitationIndicator",
                  "OffenceCategory"):
        apps.get_model("legalaid", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0008_nonpunishment_records")]
    operations = [migrations.RunPython(seed, unseed)]
