from students.obfuscation import login_obfuscate


def test_an_email_keeps_its_first_letter_and_domain():
    assert login_obfuscate("jeanne.dupont@example.net") == "j***@example.net"


def test_a_username_keeps_the_first_letter_of_each_part_and_its_digits():
    assert login_obfuscate("jeanne.hugo2") == "j***.h***2"
    assert login_obfuscate("jeanne.hugo0712") == "j***.h***0712"


def test_nothing_gives_nothing():
    assert login_obfuscate("") == "" and login_obfuscate(None) == ""
