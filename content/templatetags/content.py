"""``{% load content %}{{ text|markdown }}``: the bank's Markdown as safe HTML (see ``content.markdown``)."""

from django import template

from content.markdown import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown(text):
    return markdown_to_html(text)
