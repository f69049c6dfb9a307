from django import template

from core.sanitize import clean_html

register = template.Library()


@register.filter(name="rich_text")
def rich_text(value: str):
    """Render a notes field: sanitised HTML from the allow-list in core.sanitize."""
    return clean_html(value)
