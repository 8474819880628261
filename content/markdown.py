"""Markdown of the bank (instructions, solutions, hints, tutorials) → safe HTML.

CommonMark with tables; raw HTML is shown as text, never interpreted. Only http(s) links stay links, opened in a new
tab without giving the page a handle on ours (``rel="noopener noreferrer"``); any other link (``javascript:``, a
relative path, ``mailto:``) is its text alone. Images are never loaded from a text: their alt text is shown instead
(illustrations are the challenge's own field, served locally).
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_SAFE_SCHEMES = ("http://", "https://")


def _links_and_images(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        kept: list[bool] = []  # for each open link: rendered as a link?
        for token in block.children:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                keep = href.lower().startswith(_SAFE_SCHEMES)
                kept.append(keep)
                if keep:
                    token.attrSet("target", "_blank")
                    token.attrSet("rel", "noopener noreferrer")
                    children.append(token)
            elif token.type == "link_close":
                if kept.pop() if kept else False:
                    children.append(token)
            elif token.type == "image":
                children.append(Token("text", "", 0, content=token.content))
            else:
                children.append(token)
        block.children = children


# French typography: the space before ? ! ; : and inside « » never breaks (no lone « ? » at the start of a line).
_FRENCH_SPACES = re.compile(r" ([?!;:»])|(«) ")


def _french_spaces(state: StateCore) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text" and (" " in token.content):
                token.content = _FRENCH_SPACES.sub(
                    lambda m: f"\u00a0{m.group(1)}" if m.group(1) else f"{m.group(2)}\u00a0", token.content)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    parser.core.ruler.push("pixorga_links_and_images", _links_and_images)
    parser.core.ruler.push("pixorga_french_spaces", _french_spaces)
    return parser


_PARSER = _parser()


def markdown_to_html(text: str | None) -> SafeString:
    """The text as HTML that is safe to put in a page as it is (built from escaped text only)."""
    return mark_safe(_PARSER.render(str(text)) if text else "")
