import pytest


@pytest.fixture
def send_emails(django_capture_on_commit_callbacks):
    """Run what services queue with transaction.on_commit (the e-mail task runs eagerly in tests)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def token_from_email(message) -> str:
    """The raw token of the link in an invitation e-mail (plain-text body)."""
    import re

    match = re.search(r"/rejoindre\?token=([A-Za-z0-9_\-]+)", message.body)
    assert match, message.body
    return match.group(1)


def page_text(response) -> str:
    """What a person reads on the page: the visible text, whitespace collapsed (scripts left out)."""
    import lxml.html

    tree = lxml.html.fromstring(response.content.decode())
    for node in tree.xpath("//script|//style|//head"):
        node.getparent().remove(node)
    return " ".join(tree.text_content().split())
