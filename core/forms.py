"""Form pieces shared by the apps: inputs taken from a query string or a form that must
never reach the database or date arithmetic unchecked."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from .normalise import normalise_code, normalise_free_text

# Dates the portal works with: nothing it holds is older, no period it shows ends later.
# Beyond them a date is a typo or a probe (9999-12-31 + one day overflows Python's dates).
MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2099, 12, 31)


_FieldT = TypeVar("_FieldT", bound=forms.Field)


def field_of(fields: Mapping[str, forms.Field], name: str, kind: type[_FieldT]) -> _FieldT:
    """A form's field ``name`` as the kind it was declared, to set its choices or queryset
    (for the type checker ``form.fields`` holds plain ``Field`` objects)."""
    field = fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"the field {name!r} is a {type(field).__name__}, not a {kind.__name__}")
    return field


class BoundedDateField(forms.DateField):
    """A ``DateField`` that accepts only ``MIN_DATE`` … ``MAX_DATE``: a period built from
    it (``end + 1 day``) can never overflow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators = [
            *self.validators,
            MinValueValidator(MIN_DATE),
            MaxValueValidator(MAX_DATE),
        ]


class SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, rendering a bound value the field cannot read (``?seller=abc``)
    as no choice instead of failing on the query that looks it up."""

    def optgroups(
        self, name: str, value: Sequence[str], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        field = self.choices.field
        opts = field.queryset.model._meta
        key = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
        readable = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return super().optgroups(name, readable, attrs)


class CodeField(forms.CharField):
    """A code or a number as a seller types or pastes it (a credit code, an ID number, a
    phone, a postcode): ``core.normalise.normalise_code`` before any check (full-width
    characters, spaces around and inside), then the length is checked on what is left.
    The page sets no ``maxlength``: a browser would cut a pasted ``9144 0300 MA5F XK3Q 6D``
    silently; the form says what is too long instead."""

    def __init__(self, *args: Any, upper: bool = True, **kwargs: Any) -> None:
        self.upper = upper
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return normalise_code(super().to_python(value), upper=self.upper)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.setdefault("autocomplete", "off")
        attrs.setdefault("spellcheck", "false")
        return attrs


class TextField(forms.CharField):
    """Free text (a name, an address): ``normalise_free_text`` (NFKC, trimmed, one space
    between words), no ``maxlength`` in the page; too long is said, never cut."""

    def to_python(self, value: Any) -> str:
        return normalise_free_text(super().to_python(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def no_silent_truncation(form: forms.BaseForm) -> None:
    """Drop every ``maxlength`` the form's widgets carry: a browser cuts pasted text to it
    without a word. The fields' own length check then says what is too long."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)
