"""Glue between forms and services shared by every app's views."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field is on the form, else on top. A form
    that places a service key on fields of its own (VerificationForm's "lines" on each goods line) names it in
    `service_keys` and takes it in add_error."""
    if hasattr(error, "error_dict"):
        own = getattr(form, "service_keys", ())
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields or field in own else None, messages)
    else:
        form.add_error(None, error.messages)


class RupiahInput(forms.TextInput):
    """A money box that shows grouped digits ("6.500.000.000") and opens the number keypad on a phone."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "class": "rupiah", **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return ""
        try:
            return f"{int(Decimal(str(value))):,}".replace(",", ".")
        except (InvalidOperation, ValueError):
            return str(value)


class RupiahField(forms.DecimalField):
    """Whole rupiah as officers type them: "6.500.000.000", "Rp 6.500.000.000", "Rp6.500.000.000,00" and
    "6500000000" are one amount. Cents other than ,00 are refused (money is whole rupiah)."""

    widget = RupiahInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.localize = False

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().lower().removeprefix("rp").replace(" ", "").replace("\u00a0", "")
            if "," in text:
                text, cents = text.rsplit(",", 1)
                if cents.strip("0"):
                    raise ValidationError("Tulis rupiah tanpa sen, mis. 6.500.000.000.", code="invalid")
            if text and not text.removeprefix("-").replace(".", "").isdigit():
                raise ValidationError("Tulis jumlah rupiah dengan angka, mis. 6.500.000.000.", code="invalid")
            value = text.replace(".", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):  # a text box, not a number spinner
            attrs.pop(key, None)
        return attrs


class DateInput(forms.DateInput):
    """A date typed and shown as dd/mm/yyyy whatever the browser's language: a native date input follows the
    browser (mm/dd/yyyy in an English one). static/js/app.js puts a calendar button beside it. The field parses
    dd/mm/yyyy, dd-mm-yyyy and ISO (the input formats of the Indonesian locale, with Django's ISO ones)."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "hh/bb/tttt", "inputmode": "numeric", "autocomplete": "off", "data-date": ""}
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (photos of a visit, a complaint's attachments); each is checked by content in
    the service that stores it."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
