"""Encryption at rest of identity data, and the blind indexes that still find it.

Ciphertext is AES-256-GCM under a dedicated key (never `SECRET_KEY`), written as text:
`lz1:<key id>:<base64url of nonce + ciphertext + tag>`. The key id and the format's version are
bound to the ciphertext as associated data, so a token cannot be relabelled. Keys come from the
setting `FIELD_ENCRYPTION_KEYS` (`id:base64url-key`, newest first): the newest encrypts, every one
listed decrypts, so a new key can be put first and `manage.py rotate_encryption_keys` re-encrypts
the rows at leisure. Decryption never guesses: an unknown key id, a broken token or a wrong key
raises `DecryptionError`; it never returns the ciphertext or an empty value in place of the data.

A blind index is an HMAC-SHA256 of a normal form (`legalaid.normalise`) under the separate
`BLIND_INDEX_KEY`, with a purpose in the message so that equal texts of different kinds (a name
and a handle) never share an index. It serves exact look-ups only: the national number, a
person's normalised names with the date of birth, a defendant's names and handles.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from .normalise import normalise_handle, normalise_name

FORMAT = "lz1"
KEY_ID = re.compile(r"^[A-Za-z0-9-]{1,16}$")
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """Stored ciphertext that the configured keys cannot turn back into data."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    ciphers: dict[str, AESGCM]

    def prefix(self, key_id: str | None = None) -> str:
        return f"{FORMAT}:{key_id or self.current_id}:"


def decode_key(text: str, setting: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{setting}: a key is not valid base64url.") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{setting}: each key must be 32 bytes (256 bits).")
    return key


def parse_keys(value: str, setting: str = "FIELD_ENCRYPTION_KEYS") -> list[tuple[str, bytes]]:
    """`id:key,id:key` (newest first) as pairs, with a sentence for each malformed part."""
    pairs: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{setting}: each entry is `id:key`, the id 1-16 letters, digits or dashes."
            )
        if key_id in {known for known, _ in pairs}:
            raise ImproperlyConfigured(f"{setting}: the key id {key_id} is listed twice.")
        pairs.append((key_id, decode_key(encoded, setting)))
    if not pairs:
        raise ImproperlyConfigured(f"{setting} lists no key.")
    return pairs


def new_key() -> str:
    """A fresh 256-bit key in the settings' form (base64url, no padding)."""
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


@cache
def keyring() -> Keyring:
    pairs = parse_keys(settings.FIELD_ENCRYPTION_KEYS)
    return Keyring(current_id=pairs[0][0], ciphers={key_id: AESGCM(key) for key_id, key in pairs})


@cache
def _index_key() -> bytes:
    return decode_key(settings.BLIND_INDEX_KEY, "BLIND_INDEX_KEY")


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting in {"FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}:
        keyring.cache_clear()
        _index_key.cache_clear()


def encrypt_bytes(data: bytes) -> tuple[str, bytes]:
    """(key id, nonce + ciphertext + tag) under the newest key."""
    ring = keyring()
    nonce = os.urandom(_NONCE_BYTES)
    header = ring.prefix().encode()
    return ring.current_id, nonce + ring.ciphers[ring.current_id].encrypt(nonce, data, header)


def decrypt_bytes(key_id: str, sealed: bytes) -> bytes:
    cipher = keyring().ciphers.get(key_id)
    if cipher is None:
        raise DecryptionError(
            f"Encrypted with the key {key_id}, which FIELD_ENCRYPTION_KEYS does not list."
        )
    try:
        return cipher.decrypt(
            sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], f"{FORMAT}:{key_id}:".encode()
        )
    except InvalidTag:
        raise DecryptionError(
            f"The data encrypted with the key {key_id} does not decrypt: altered, or a "
            f"different key under the same id."
        ) from None


def encrypt(text: str) -> str:
    key_id, sealed = encrypt_bytes(text.encode())
    return f"{FORMAT}:{key_id}:{base64.urlsafe_b64encode(sealed).decode()}"


def key_id_of(token: str) -> str:
    version, sep, rest = token.partition(":")
    key_id, sep2, _ = rest.partition(":")
    if version != FORMAT or not sep or not sep2 or not KEY_ID.match(key_id):
        raise DecryptionError("The stored value is not in Lanzarote's encrypted form.")
    return key_id


def decrypt(token: str) -> str:
    key_id = key_id_of(token)
    try:
        sealed = base64.urlsafe_b64decode(token[len(FORMAT) + len(key_id) + 2 :])
    except (binascii.Error, ValueError):
        raise DecryptionError("The stored value is not valid base64.") from None
    return decrypt_bytes(key_id, sealed).decode()


def blind_index(purpose: str, normal_form: str) -> str:
    """The HMAC-SHA256 (hex) of a normal form, for one purpose."""
    message = f"{purpose}\x00{normal_form}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def name_index(name: str) -> str:
    """Names (a person's, a defendant's, an alias) compare in their normal form: "Éric DUPONT"
    and "dupont eric" share an index."""
    return blind_index("name", normalise_name(name))


def handle_index(handle: str) -> str:
    return blind_index("handle", normalise_handle(handle))


def national_number_index(number: str) -> str:
    return blind_index("national-number", number)


def person_index(given_names: str, family_name: str, born: dt.date) -> str:
    """The normalised names with the date of birth: finds a repeat victim without a number."""
    return blind_index("person", f"{normalise_name(f'{given_names} {family_name}')}|{born}")
