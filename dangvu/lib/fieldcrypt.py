"""Encryption of single field values at rest (issue 12 item 4: the denouncer's identity).

A value is encrypted with Fernet (AES-128-CBC + HMAC-SHA256, the `cryptography` package) under the first of
the field keys; every key in the list can decrypt (`MultiFernet`), so keys are rotated by putting a new key
first and re-encrypting (`dangvu rotate_field_keys`). Before encryption the text is padded to a multiple of
`PAD` bytes, so the ciphertext's length does not tell how long the name or address is.

Keys, in this order:
- `DANGVU_FIELD_KEYS`: comma-separated Fernet keys (url-safe base64 of 32 bytes), the first encrypts;
- `DANGVU_FIELD_KEYS_FILE`: a file holding one key per line, the first encrypts;
- otherwise `<DANGVU_DATA_DIR>/field_keys`, generated once (mode 0600) so the zero-setup demo works.
A database dump or backup without the key file (or the environment) does not reveal the values: keep the
keys apart from the backups (docs/security.md).

Ciphertext lives in `CiphertextField` columns and is decrypted only where the reader is entitled to see it
(`decrypt`); the model attribute itself is always the ciphertext, so serialisers, `dumpdata`, the audit
history and error pages never see plaintext.
"""

from __future__ import annotations

import os
import struct
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PAD = 512  # bytes: plaintexts are padded to a multiple of this before encryption
PREFIX = "f1:"  # marks a value written by this module (format version 1)


class FieldKeyError(Exception):
    """The field keys are missing or unreadable (a configuration error, never shown to users)."""


class CiphertextField(models.TextField):
    """A column holding a value encrypted by `encrypt`. The model attribute is the ciphertext; read the
    plaintext with `decrypt` after checking who asks. `rotate_field_keys` re-encrypts every such column."""

    description = "Encrypted text (dangvu.lib.fieldcrypt)"


def key_source() -> tuple[str, Path | None]:
    """('env', None), ('file', path) for DANGVU_FIELD_KEYS_FILE, or ('data', path) for the generated file."""
    if os.environ.get("DANGVU_FIELD_KEYS", "").strip():
        return "env", None
    if os.environ.get("DANGVU_FIELD_KEYS_FILE", "").strip():
        return "file", Path(os.environ["DANGVU_FIELD_KEYS_FILE"].strip())
    return "data", Path(settings.DATA_DIR) / "field_keys"


def read_keys() -> list[bytes]:
    source, path = key_source()
    if source == "env":
        raw = os.environ["DANGVU_FIELD_KEYS"].split(",")
    else:
        assert path is not None
        if not path.exists():
            if source == "file":
                raise FieldKeyError(f"DANGVU_FIELD_KEYS_FILE {path} does not exist")
            write_keys(path, [Fernet.generate_key()])
        raw = path.read_text().splitlines()
    keys = [k.strip().encode() for k in raw if k.strip()]
    if not keys:
        raise FieldKeyError("No field encryption key configured")
    for key in keys:
        try:
            Fernet(key)
        except ValueError as exc:
            raise FieldKeyError("A field encryption key is not a valid Fernet key") from exc
    return keys


def write_keys(path: Path, keys: list[bytes]) -> None:
    """Write the key file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".field_keys.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("".join(k.decode() + "\n" for k in keys))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    reset()


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in read_keys()])


def reset() -> None:
    """Forget the cached keys (after a rotation, or a test changing the environment)."""
    _fernet.cache_clear()


def _pad(data: bytes) -> bytes:
    body = struct.pack(">I", len(data)) + data
    return body + b"\0" * (-len(body) % PAD)


def _unpad(body: bytes) -> bytes:
    (n,) = struct.unpack(">I", body[:4])
    return body[4 : 4 + n]


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(_pad(text.encode())).decode()


def decrypt(token: str) -> str:
    """The plaintext of `token`; raises ValueError (with no part of the value) when no key opens it."""
    if not token.startswith(PREFIX):
        raise ValueError("Not an encrypted field value")
    try:
        return _unpad(_fernet().decrypt(token[len(PREFIX) :].encode())).decode()
    except InvalidToken:
        raise ValueError("No field key decrypts this value") from None


def rotate(token: str) -> str:
    """The same value encrypted under the first key (whichever key encrypted it before)."""
    if not token.startswith(PREFIX):
        raise ValueError("Not an encrypted field value")
    try:
        return PREFIX + _fernet().rotate(token[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError("No field key decrypts this value") from None


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) holding ciphertext, in every installed app."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, CiphertextField)
    ]


def rotate_all() -> int:
    """Re-encrypt every stored value under the first key, in one transaction (all or nothing). Returns the
    number of values rewritten."""
    from django.db import transaction

    n = 0
    with transaction.atomic():
        for model, name in encrypted_fields():
            rows = model._base_manager.select_for_update().exclude(**{name: ""}).values_list("pk", name)
            for pk, token in rows.iterator():
                model._base_manager.filter(pk=pk).update(**{name: rotate(token)})
                n += 1
    return n
