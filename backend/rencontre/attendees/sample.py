"""The sample file offered before an import: every recognised column, headed in the
organiser's language, with rows the import accepts as they are."""

from __future__ import annotations

from enum import StrEnum

from rencontre.kit.csvfile import csv_bytes


class SampleLanguage(StrEnum):
    en = "en"
    fr = "fr"


_HEADERS = {
    SampleLanguage.en: (
        "Registration ID",
        "First name",
        "Last name",
        "Email",
        "Company",
        "Job title",
        "Phone",
        "Website",
        "LinkedIn",
    ),
    SampleLanguage.fr: (
        "Numéro d'inscription",
        "Prénom",
        "Nom",
        "Courriel",
        "Société",
        "Fonction",
        "Téléphone",
        "Site web",
        "LinkedIn",
    ),
}

# No phone starts with "+": the file's cells are neutralised against spreadsheet formulas.
_ROWS = (
    (
        "R-1001",
        "Zoé",
        "Lefèvre",
        "zoe.lefevre@example.org",
        "Atelier Lumière",
        "Directrice",
        "06 12 34 56 78",
        "https://atelier.example.org",
        "",
    ),
    (
        "R-1002",
        "Ada",
        "Lovelace",
        "ada@example.org",
        "Analytical Engines",
        "CTO",
        "",
        "",
        "https://www.linkedin.com/in/ada-example",
    ),
    ("R-1003", "Jean-Noël", "N'Diaye", "jn.ndiaye@example.org", "", "", "", "", ""),
)


def sample_csv(language: SampleLanguage) -> bytes:
    return csv_bytes(_HEADERS[language], _ROWS)
