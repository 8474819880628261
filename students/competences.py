"""The competences' names that « Certification » shows beside each student's needs (« 1.1 Mener une recherche… »).

The bank is content's, and content builds on the student base: it provides the names at start-up
(``ContentConfig.ready``), so students imports nothing of content. Without a provider the names are empty.
"""

from collections.abc import Callable

_provider: Callable[[], dict[str, str]] = dict


def competence_names_provide(*, build: Callable[[], dict[str, str]]) -> None:
    global _provider
    _provider = build


def competence_names() -> dict[str, str]:
    """``{"1.1": "Mener une recherche et une veille d'information", …}``: one query, at each call."""
    return _provider()
