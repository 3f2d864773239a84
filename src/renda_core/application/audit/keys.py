"""Keys of the audit: the Ed25519 key pair that signs seals, and the AES key of the
cipher at rest. Both live outside the store (files, a secrets manager); the store only
records each seal's public key and signature."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.cryptography import AESCipher

from renda_core.application.inputs import shown
from renda_core.domain.errors import InvalidInput, RuleViolated

SEAL_KEY_ENV = "RENDA_SEAL_KEY"
PUBLIC_KEY_ENV = "RENDA_SEAL_PUBLIC_KEY"


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key: 16 hex digits of SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def write_seal_keys(private_path: Path) -> tuple[Path, Path]:
    """A new key pair: the private key at ``private_path`` (mode 0600) and the public
    key beside it (``.pub`` added). Existing files are never overwritten."""
    public_path = private_path.with_name(private_path.name + ".pub")
    for path in (private_path, public_path):
        if path.exists():
            raise RuleViolated(f"{path} exists; nothing was written (keys are never overwritten)")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        public_path.write_text(public_pem(key.public_key()), encoding="ascii")
    except OSError as exc:
        raise InvalidInput(
            f"cannot write the key files: {exc.strerror or exc}",
            [{"field": "output", "message": "not writable"}],
        ) from None
    return private_path, public_path


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = getattr(exc, "strerror", None) or exc
        raise InvalidInput(
            f"cannot read the {what} {shown(str(path))}: {reason}",
            [{"field": what, "message": "not readable"}],
        ) from None


def load_private_key(path: Path | str | None = None) -> Ed25519PrivateKey:
    """The seal-signing key from ``path`` or ``RENDA_SEAL_KEY`` (a PEM file path)."""
    given = path or os.environ.get(SEAL_KEY_ENV)
    if not given:
        raise InvalidInput(
            f"no seal key: set {SEAL_KEY_ENV} to the private key file "
            "(`renda audit keygen` makes one)",
            [{"field": SEAL_KEY_ENV, "message": "missing"}],
        )
    data = _read(Path(given), "seal key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(
            f"{shown(str(given))} is not an unencrypted Ed25519 private key in PEM form",
            [{"field": SEAL_KEY_ENV, "message": "not an Ed25519 private key"}],
        )
    return key


def load_public_key(path: Path | str) -> Ed25519PublicKey:
    data = _read(Path(path), "public key")
    key = parse_public_key(data)
    if key is None:
        raise InvalidInput(
            f"{shown(str(path))} is not an Ed25519 public key in PEM form",
            [{"field": "public-key", "message": "not an Ed25519 public key"}],
        )
    return key


def parse_public_key(data: bytes) -> Ed25519PublicKey | None:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def trusted_keys(paths: tuple[str, ...] = ()) -> list[Ed25519PublicKey]:
    """Public keys the auditor trusts: ``--public-key`` files, else
    ``RENDA_SEAL_PUBLIC_KEY``, plus the public half of ``RENDA_SEAL_KEY`` if set."""
    keys = [load_public_key(p) for p in paths]
    if not paths and os.environ.get(PUBLIC_KEY_ENV):
        keys.append(load_public_key(os.environ[PUBLIC_KEY_ENV]))
    if os.environ.get(SEAL_KEY_ENV):
        keys.append(load_private_key().public_key())
    return keys


def new_cipher_key() -> str:
    """A new key for ``RENDA_CIPHER_KEY``: base64 of 32 random bytes (AES-256)."""
    return AESCipher.create_key(32)
