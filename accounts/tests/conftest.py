import pytest


@pytest.fixture
def signup_data():
    return {
        "first_name": "Claire", "last_name": "Lefèvre", "email": "claire.lefevre@example.net",
        "password": "Tournesol2026", "accept_terms": True,
    }
