"""Words for the codes a snapshot holds (party roles, damage kinds, statuses…), per language."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "temporary_personal_incapacity": "tijdelijke persoonlijke ongeschiktheid",
        "temporary_personal_incapacity_hospitalised":
            "tijdelijke persoonlijke ongeschiktheid met opname",
        "temporary_household_incapacity": "tijdelijke huishoudelijke ongeschiktheid",
        "dependent_child": "toeslag per kind ten laste",
        "third_party_help": "niet-gekwalificeerde hulp van derden",
        "day": "dagen", "hour": "uren",
        "pimp": "pooier", "co_accused": "medebeklaagde", "client": "klant",
        "recruiter": "ronselaar",
        "material_medical": "medische kosten", "material_therapy": "therapie",
        "material_lost_income": "inkomensverlies", "material_costs": "andere kosten",
        "moral": "morele schade", "future_loss": "toekomstige schade", "other": "andere schade",
        "investigating_judge": "in handen van de onderzoeksrechter",
        "hearing": "ter terechtzitting",
        "emergency": "noodhulp", "main": "hoofdhulp", "complementary": "aanvullende hulp",
        "parent": "ouder", "appointed": "voogd", "institution": "instelling",
        "damages": "schadevergoeding", "costs": "kosten (rechtsplegingsvergoeding)",
        "compensatory": "compensatoire interest", "moratory": "moratoire interest",
    },
    "fr": {
        "temporary_personal_incapacity": "incapacité personnelle temporaire",
        "temporary_personal_incapacity_hospitalised":
            "incapacité personnelle temporaire avec hospitalisation",
        "temporary_household_incapacity": "incapacité ménagère temporaire",
        "dependent_child": "majoration par enfant à charge",
        "third_party_help": "aide de tiers non qualifiée",
        "day": "jours", "hour": "heures",
        "pimp": "proxénète", "co_accused": "coprévenu", "client": "client",
        "recruiter": "recruteur",
        "material_medical": "frais médicaux", "material_therapy": "thérapie",
        "material_lost_income": "perte de revenus", "material_costs": "autres frais",
        "moral": "dommage moral", "future_loss": "dommage futur", "other": "autre dommage",
        "investigating_judge": "entre les mains du juge d'instruction",
        "hearing": "à l'audience",
        "emergency": "aide d'urgence", "main": "aide principale",
        "complementary": "aide complémentaire",
        "parent": "parent", "appointed": "tuteur", "institution": "institution",
        "damages": "dommages et intérêts", "costs": "dépens (indemnité de procédure)",
        "compensatory": "intérêts compensatoires", "moratory": "intérêts moratoires",
    },
    "de": {
        "temporary_personal_incapacity": "vorübergehende persönliche Arbeitsunfähigkeit",
        "temporary_personal_incapacity_hospitalised":
            "vorübergehende persönliche Arbeitsunfähigkeit mit Krankenhausaufenthalt",
        "temporary_household_incapacity": "vorübergehende Haushaltsunfähigkeit",
        "dependent_child": "Zuschlag je unterhaltsberechtigtes Kind",
        "third_party_help": "nicht qualifizierte Hilfe Dritter",
        "day": "Tage", "hour": "Stunden",
        "pimp": "Zuhälter", "co_accused": "Mitangeklagter", "client": "Freier",
        "recruiter": "Anwerber",
        "material_medical": "Arztkosten", "material_therapy": "Therapie",
        "material_lost_income": "Verdienstausfall", "material_costs": "sonstige Kosten",
        "moral": "immaterieller Schaden", "future_loss": "künftiger Schaden",
        "other": "sonstiger Schaden",
        "investigating_judge": "beim Untersuchungsrichter",
        "hearing": "in der Sitzung",
        "emergency": "Soforthilfe", "main": "Haupthilfe", "complementary": "Zusatzhilfe",
        "parent": "Elternteil", "appointed": "Vormund", "institution": "Einrichtung",
        "damages": "Schadensersatz", "costs": "Kosten (Verfahrensentschädigung)",
        "compensatory": "Ausgleichszinsen", "moratory": "Verzugszinsen",
    },
}  # fmt: skip


def label(code: str, language: str) -> str:
    return LABELS[language].get(code, code)
