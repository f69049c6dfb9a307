"""The widgets rendered in Python give the markup Django's templates give."""

import re

import pytest
from django import forms

from core.widgets import PlainDateInput, PlainNumberInput, PlainSelect, PlainTextInput, render_options

CHOICES = [("", "Any actor"), ("1", "GUR"), ("2", 'Ziare & "friends" <b>'), ("3", "Кремль")]


def squeeze(markup: str) -> str:
    return re.sub(r">\s+<", "><", str(markup)).strip()


@pytest.mark.parametrize("value", [None, "", "2", "nope"])
def test_a_plain_select_renders_like_djangos(value):
    attrs = {"id": "id_actor", "aria-describedby": "id_actor_error", "required": True, "disabled": False}
    ours = PlainSelect(choices=CHOICES).render("actor", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("actor", value, attrs=attrs)
    assert squeeze(ours) == squeeze(django)
    assert "&lt;b&gt;" in ours


def test_a_prerendered_select_is_used_only_when_nothing_is_chosen():
    widget = PlainSelect(choices=CHOICES)
    widget.unselected_html = render_options([("", "Any actor"), ("9", "Prerendered")], {""})
    assert "Prerendered" in widget.render("actor", None)
    chosen = widget.render("actor", "1")
    assert "Prerendered" not in chosen
    assert '<option value="1" selected>GUR</option>' in chosen


@pytest.mark.parametrize(
    ("ours", "djangos", "value"),
    [
        (PlainTextInput(), forms.TextInput(), 'blocking "units" <script>'),
        (PlainTextInput(), forms.TextInput(), None),
        (PlainDateInput(attrs={"type": "date"}), forms.DateInput(attrs={"type": "date"}), "2024-02-30"),
        (PlainNumberInput(attrs={"step": "any"}), forms.NumberInput(attrs={"step": "any"}), 3),
    ],
)
def test_plain_inputs_render_like_djangos(ours, djangos, value):
    attrs = {"id": "id_q", "aria-invalid": "true"}
    assert squeeze(ours.render("q", value, attrs=attrs)) == squeeze(djangos.render("q", value, attrs=attrs))
