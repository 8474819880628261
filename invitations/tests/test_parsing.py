from hypothesis import given
from hypothesis import strategies as st

from invitations.parsing import email_obfuscate, emails_parse


def test_commas_semicolons_spaces_and_new_lines_all_separate_addresses():
    parsed = emails_parse("a@ecole.fr, b@ecole.fr;c@ecole.fr d@ecole.fr\ne@ecole.fr\r\n\tf@ecole.fr")
    assert parsed.valid == ["a@ecole.fr", "b@ecole.fr", "c@ecole.fr", "d@ecole.fr", "e@ecole.fr", "f@ecole.fr"]
    assert parsed.invalid == []


def test_addresses_are_trimmed_lower_cased_and_deduplicated_in_order():
    parsed = emails_parse("  Martin@Ecole.FR ,, martin@ecole.fr ; Zoe@ecole.fr,MARTIN@ECOLE.FR  ")
    assert parsed.valid == ["martin@ecole.fr", "zoe@ecole.fr"]


def test_invalid_addresses_are_named_as_typed():
    parsed = emails_parse("ok@ecole.fr, martin@, pas-une-adresse, jean@ecole")
    assert parsed.valid == ["ok@ecole.fr"]
    assert parsed.invalid == ["martin@", "pas-une-adresse", "jean@ecole"]


def test_empty_input_gives_nothing():
    assert emails_parse("  ,; \n").valid == []
    assert emails_parse("").invalid == []


@given(st.lists(st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.fr", fullmatch=True), max_size=8),
       st.lists(st.sampled_from([",", ";", " ", "\n", ", ", " ;\n"]), min_size=1))
def test_any_separator_mix_yields_each_address_once(emails, separators):
    raw = ""
    for i, email in enumerate(emails + [e.upper() for e in emails]):
        raw += email + separators[i % len(separators)]
    parsed = emails_parse(raw)
    assert parsed.invalid == []
    assert parsed.valid == list(dict.fromkeys(emails))


def test_obfuscated_school_address_is_recognisable_but_hidden():
    assert email_obfuscate("ce.0751234a@ac-pix.fr") == "ce.0751***a@ac-pix.fr"
    assert email_obfuscate("ab@ecole.fr") == "a***@ecole.fr"
    assert "234" not in email_obfuscate("ce.0751234a@ac-pix.fr")
