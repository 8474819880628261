"""French order for names, alone: the key Python sorts with, the same as the databases' collation."""

import pytest
from django.db import connection

from pixorga.collation import COLLATION, french_sort_key

NAMES = ["Zélie", "BRUN", "Élise", "BŒUF", "Côte", "Cote", "DU PONT", "D'Artagnan", "Dupont", "Eloïse"]
FRENCH = ["BŒUF", "BRUN", "Cote", "Côte", "D'Artagnan", "DU PONT", "Dupont", "Élise", "Eloïse", "Zélie"]


def test_accents_and_ligatures_sort_with_their_letter():
    assert sorted(NAMES, key=french_sort_key) == FRENCH
    assert sorted(["Zélie", "Élise"]) == ["Zélie", "Élise"]  # what code points alone give


@pytest.mark.django_db
def test_the_database_sorts_names_with_the_same_collation():
    values = " UNION ALL ".join(["SELECT %s AS name"] * len(NAMES))
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT name FROM ({values}) AS names ORDER BY name COLLATE "{COLLATION}"', NAMES)
        assert [row[0] for row in cursor.fetchall()] == FRENCH
