"""What each role's header navigation holds, in order (labels in Swedish). The unit tests
and the browser tests both check against this one list."""

from __future__ import annotations

OFFICE_MENU = [
    "Översikt",
    "Uppdrag",
    "Läget",
    "Kalender",
    "Mätningar",
    "Resultat",
    "Företag",
    "Nyckeltal",
    "Organisationer",
    "Coacher",
    "Röda tråden",
]

NAVIGATION: dict[str, list[str]] = {
    "admin": [*OFFICE_MENU, "Loggen", "Inkommet", "Utkorg", "Dataskydd", "Användare"],
    "program_manager": [*OFFICE_MENU, "Loggen", "Inkommet", "Utkorg", "Dataskydd"],
    "partner_manager": [*OFFICE_MENU, "Inkommet"],
    "coach": [
        "Översikt",
        "Uppdrag",
        "Kalender",
        "Mätningar",
        "Företag",
        "Nyckeltal",
        "Organisationer",
        "Coacher",
        "Röda tråden",
    ],
    "company_user": [
        "Översikt",
        "Program",
        "Åtgärder",
        "Resultat",
        "Nyckeltal",
        "Vårt företag",
    ],
    "funder_viewer": ["Översikt", "Resultat"],
    "editor": ["Översikt", "Loggen"],
}
