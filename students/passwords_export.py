"""The file of « Réinitialiser les mots de passe »: built in the response only, never stored anywhere.

``AAAAMMJJ_HHMM_mots_de_passe.csv``, UTF-8 with BOM (Excel opens it with its accents), ``;`` separated:
Classe; Nom; Prénom; Identifiant; Mot de passe. Students without an account come last, marked as skipped.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from students.services.accounts import PasswordsReset

HEADER = ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]
SKIPPED = "Non réinitialisé : pas de compte associé (l'élève crée son compte avec le code d'une campagne)"


def passwords_filename(now=None) -> str:
    return f"{timezone.localtime(now):%Y%m%d_%H%M}_mots_de_passe.csv"


def _cell(value: str) -> str:
    # A name starting with =, +, - or @ must stay text in a spreadsheet (no formula injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def passwords_csv(reset: PasswordsReset) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in reset.rows:
        writer.writerow([_cell(row.division), _cell(row.family_name), _cell(row.first_name), row.username,
                         row.password])
    for learner in reset.skipped:
        writer.writerow([_cell(learner.division), _cell(learner.family_name), _cell(learner.first_name), "",
                         SKIPPED])
    return out.getvalue()


def passwords_response(reset: PasswordsReset) -> HttpResponse:
    response = HttpResponse(("\ufeff" + passwords_csv(reset)).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{passwords_filename()}"'
    response["Cache-Control"] = "no-store"  # passwords in clear: no copy in any cache
    response["X-Skipped-Count"] = str(len(reset.skipped))
    return response
