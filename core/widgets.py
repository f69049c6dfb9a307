"""Form widgets for pages that must render fast.

Django renders each widget, and each <option> of a select, through the template
engine. For a filter form on every list page, with hundreds of actors to choose
from, that cost more than the rest of the page. These render the same markup
in Python, escaped by format_html.
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString

OPTION = '<option value="{}">{}</option>'
SELECTED_OPTION = '<option value="{}" selected>{}</option>'


def render_attrs(attrs: dict) -> SafeString:
    """Attributes in their given order, as Django's attrs.html writes them: True as a bare name,
    False and None left out (flatatt would sort them)."""
    parts, args = [], []
    for name, value in attrs.items():
        if value is True:
            parts.append(" {}")
            args.append(name)
        elif value is not False and value is not None:
            parts.append(' {}="{}"')
            args += (name, value)
    return format_html("".join(parts), *args) if args else format_html("{}", "")


def render_options(choices, selected=frozenset()) -> SafeString:
    """<option> elements for flat (value, label) choices, escaped by one format_html call
    (format_html_join would make one call per option)."""
    parts, args = [], []
    for value, label in choices:
        value = "" if value is None else str(value)
        parts.append(SELECTED_OPTION if value in selected else OPTION)
        args += (value, label)
    return format_html("".join(parts), *args) if args else format_html("{}", "")


class PlainSelect(forms.Select):
    """A <select> with the markup of Django's for flat choice lists (no option groups),
    rendered in Python. ``unselected_html`` may hold the options rendered ahead, with the
    empty choice selected, for the usual case of a filter not in use."""

    unselected_html: SafeString | None = None

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        if selected == {""} and self.unselected_html is not None:
            options = self.unselected_html
        else:
            options = render_options(self.choices, selected)
        return format_html(
            '<select name="{}"{}>{}</select>', name, render_attrs(self.build_attrs(self.attrs, attrs)), options
        )


class PlainInputMixin:
    """An <input> with the markup of Django's input template, rendered in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        attrs = render_attrs(self.build_attrs(self.attrs, attrs))
        if value is None:
            return format_html('<input type="{}" name="{}"{}>', self.input_type, name, attrs)
        return format_html('<input type="{}" name="{}" value="{}"{}>', self.input_type, name, value, attrs)


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainDateInput(PlainInputMixin, forms.DateInput):
    pass


class PlainNumberInput(PlainInputMixin, forms.NumberInput):
    pass
