"""Model fields whose values are encrypted at rest (`legalaid.crypto`): text, a date, JSON.

The column holds `lz1:<key id>:<ciphertext>` (a text column whatever the Python type); the model
sees plain values. Empty text stays empty and NULL stays NULL (they say nothing about a person).
Such a column cannot be searched: any look-up but `isnull` and equality with "" is refused with
a sentence, because comparing ciphertext would silently find nothing. Exact look-ups go through a
blind index field beside it (`legalaid.crypto.blind_index`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core import validators
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup, Transform
from django.db.models.expressions import Combinable
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from .. import crypto

_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)


class EmptyOnlyExact(Exact):
    """`field=""` (or None) on an encrypted field: emptiness is stored plainly, so it can be
    tested (check constraints do); any other value is refused."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            field = self.lhs.output_field
            raise FieldError(
                f"{field.model.__name__}.{field.name} is encrypted at rest: it cannot be "
                f"searched by value; look it up by its blind index."
            )
        return self.rhs

    def process_rhs(self, compiler: Any, connection: BaseDatabaseWrapper) -> Any:
        return "%s", [self.rhs]


if TYPE_CHECKING:
    _TextBase = models.TextField[_ST, _GT]
else:
    _TextBase = models.TextField


class EncryptedTextField(_TextBase):
    """Text encrypted at rest. `max_length` limits the plain text (validated, not in the DB)."""

    _pyi_private_set_type: str | Combinable
    _pyi_private_get_type: str

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted at rest: it cannot be searched "
                f"with '{lookup_name}'; look it up by its blind index."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted at rest.")

    # Plain value <-> the text encrypted (subclasses change the plain type).
    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None:
            return None
        text = self.to_text(value)
        return crypto.encrypt(text) if text else ""

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return None if value is None else self.empty_value()
        return self.from_text(crypto.decrypt(value))

    def empty_value(self) -> Any:
        return ""

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def value_to_string(self, obj: models.Model) -> str:
        return self.to_text(self.value_from_object(obj))


class EncryptedDateField(EncryptedTextField):
    """A date encrypted at rest (ISO text inside). Compare dates in Python, never in SQL."""

    _pyi_private_set_type: str | dt.date | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: dt.date  # type: ignore[assignment]

    description = "Date encrypted at rest"
    default_error_messages = {"invalid": _("Enter a valid date.")}

    def to_text(self, value: Any) -> str:
        return value.isoformat()

    def from_text(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def empty_value(self) -> Any:
        return None

    def to_python(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def formfield(self, **kwargs: Any) -> Any:
        return forms.DateField(
            required=not self.blank, label=self.verbose_name, help_text=self.help_text, **kwargs
        )


class EncryptedJSONField(EncryptedTextField):
    """JSON encrypted at rest (a document's snapshot)."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    description = "JSON encrypted at rest"

    def to_text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def empty_value(self) -> Any:
        return None

    def to_python(self, value: Any) -> Any:
        return value

    def formfield(self, **kwargs: Any) -> Any:
        return forms.JSONField(
            required=not self.blank, label=self.verbose_name, help_text=self.help_text, **kwargs
        )
