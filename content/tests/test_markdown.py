"""The bank's Markdown becomes safe HTML: no raw HTML, no script links, no outside images."""

import pytest
from django.template import Context, Template

from content.markdown import markdown_to_html


def test_markdown_renders_emphasis_lists_code_and_tables():
    html = markdown_to_html("**gras**, *italique*, `code`\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<strong>gras</strong>" in html
    assert "<em>italique</em>" in html
    assert "<code>code</code>" in html
    assert "<li>un</li>" in html
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "<iframe src='https://evil.example'></iframe>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
])
def test_raw_html_is_shown_as_text(attack):
    html = markdown_to_html(attack)
    assert "<" + attack[1:4] not in html
    assert "&lt;" in html


@pytest.mark.parametrize("link", [
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD4=)",
    "[clic](/admin/)",
    "[clic](mailto:eleve@example.net)",
    "<javascript:alert(1)>",
])
def test_only_http_links_are_links(link):
    html = markdown_to_html(link)
    assert "<a" not in html
    assert "href" not in html


def test_http_links_open_in_a_new_tab_without_a_handle_on_the_page():
    html = markdown_to_html("Voir [la CNIL](https://www.cnil.fr/) ou <http://exemple.fr>.")
    assert '<a href="https://www.cnil.fr/" target="_blank" rel="noopener noreferrer">la CNIL</a>' in html
    assert '<a href="http://exemple.fr" target="_blank" rel="noopener noreferrer">http://exemple.fr</a>' in html


def test_a_link_title_cannot_break_out_of_its_attribute():
    html = markdown_to_html('[a](https://x.fr "t\\" onmouseover=\\"alert(1)")')
    assert "onmouseover=\"alert" not in html


def test_images_show_their_alt_text_and_are_never_loaded():
    html = markdown_to_html("![Un <b>schéma</b>](https://evil.example/pixel.png) ![local](images/a.svg)")
    assert "<img" not in html
    assert "Un" in html and "schéma" in html and "local" in html
    assert "evil.example" not in html


def test_the_template_filter_renders_safe_html():
    rendered = Template("{% load content %}{{ text|markdown }}").render(Context({"text": "**oui** <b>non</b>"}))
    assert rendered.strip() == "<p><strong>oui</strong> &lt;b&gt;non&lt;/b&gt;</p>"


def test_empty_text_renders_nothing():
    assert markdown_to_html("") == ""
    assert markdown_to_html(None) == ""
