"""Words for the codes a snapshot holds (party roles, damage kinds, statuses…), per language."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "nl": {
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
