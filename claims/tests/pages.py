"""Reading rendered staff pages the way a browser would, for view tests.

``form_values`` collects what a browser would submit from a page's form, so a
test can load an edit page, change one field and post the rest untouched, as a
person does, instead of rebuilding management forms and row prefixes by hand.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_class: str):
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.in_form = False
        self.template_depth = 0  # <template> rows are blueprints, never submitted
        self.values: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.textarea_text: list[str] = []
        self.select: str | None = None
        self.select_multiple = False
        self.options: list[tuple[str, bool]] = []
        self.option: tuple[str | None, bool] | None = None  # (value attribute, selected) while inside one
        self.option_text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth += 1
        if self.template_depth or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
                return
            self._add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea, self.textarea_text = name, []
        elif tag == "select" and name:
            self.select, self.select_multiple, self.options = name, "multiple" in attrs, []
        elif tag == "option" and self.select:
            self._end_option()
            self.option, self.option_text = (attrs.get("value"), "selected" in attrs), []

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.template_depth -= 1
        elif tag == "textarea" and self.textarea:
            text = "".join(self.textarea_text)
            # The HTML parser drops one newline right after <textarea>; so must we.
            self._add(self.textarea, text.removeprefix("\r\n").removeprefix("\n"))
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self.select:
            self._end_option()
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.select_multiple and self.options:
                chosen = [self.options[0][0]]  # a single select always submits something
            for value in chosen:
                self._add(self.select, value)
            self.select = None

    def _end_option(self):
        if self.option is not None:
            value, selected = self.option
            self.options.append((value if value is not None else "".join(self.option_text).strip(), selected))
        self.option = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea_text.append(data)
        elif self.option is not None:
            self.option_text.append(data)


def form_values(response, *, form_class: str = "claim-form") -> dict[str, list[str]]:
    """What submitting the page's ``<form class="{form_class}">`` unchanged would post."""
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_class)
    reader.feed(response.content.decode())
    reader.close()
    assert reader.values, f'no <form class="{form_class}"> with fields on the page'
    return reader.values


def row_index(values: dict[str, list[str]], prefix: str, pk: int) -> int:
    """The formset row that edits the record ``pk``."""
    for name, found in values.items():
        if name.startswith(f"{prefix}-") and name.endswith("-id") and found == [str(pk)]:
            return int(name.split("-")[1])
    raise AssertionError(f"no {prefix} row for record {pk}")


def first_blank_row(values: dict[str, list[str]], prefix: str) -> int:
    """The first extra (empty) row of a formset, ready to fill in."""
    return int(values[f"{prefix}-INITIAL_FORMS"][0])
