"""System checks of the encryption keys: they parse (always), and production does not run on
the public development keys (`check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from .crypto import parse_keys


@register()
def encryption_keys_parse(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for setting in ("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEY"):
        value = getattr(settings, setting)
        try:
            parse_keys(value if setting == "FIELD_ENCRYPTION_KEYS" else f"key:{value}", setting)
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="legalaid.E001"))
    return errors


def _keys(names: tuple[str, str, str]) -> set[bytes]:
    keys = {key for _, key in parse_keys(getattr(settings, names[0]))}
    for name in names[1:]:
        keys |= {key for _, key in parse_keys(f"index:{getattr(settings, name)}", name)}
    return keys


@register(deploy=True)
def encryption_keys_not_development(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    public = _keys(("DEVELOPMENT_ENCRYPTION_KEYS", "DEVELOPMENT_BLIND_INDEX_KEY",
                    "DEVELOPMENT_AUDIT_CHAIN_KEY"))  # fmt: skip
    try:
        used = _keys(("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEY"))
    except ImproperlyConfigured:
        return []  # reported by encryption_keys_parse
    if used & public:
        return [
            Error(
                "An encryption, blind-index or audit-chain key is a public development key: "
                "set FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY and AUDIT_CHAIN_KEY to keys of your "
                "own.",
                id="legalaid.E002",
            )
        ]
    return []
