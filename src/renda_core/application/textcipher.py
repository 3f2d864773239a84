"""Personal data outside the log, encrypted with the log's own cipher.

The views' documents and the outbox's and inbox's messages may hold names, notes and
addresses. With ``RENDA_CIPHER_KEY`` set they are stored as ``enc1:<base64>`` of the
compressed, AES-GCM encrypted text (the store's cipher and compressor); without it, as
plain text. Reading accepts both, so text written before the key was set stays
readable (rebuild the views to encrypt it).
"""

from __future__ import annotations

import base64
from typing import Any

from renda_core.domain.errors import StoreUnavailable

ENCRYPTED = "enc1:"


class TextCipher:
    """Seal and open text with a cipher (and compressor) from eventsourcing."""

    def __init__(self, cipher: Any, compressor: Any = None, what: str = "stored data") -> None:
        self.cipher = cipher
        self.compressor = compressor
        self.what = what

    @classmethod
    def of_mapper(cls, mapper: Any, what: str) -> TextCipher | None:
        """The application's cipher, or None when the store is not encrypted."""
        cipher = getattr(mapper, "cipher", None)
        return None if cipher is None else cls(cipher, getattr(mapper, "compressor", None), what)

    def seal(self, text: str) -> str:
        data = text.encode("utf-8")
        if self.compressor is not None:
            data = self.compressor.compress(data)
        return ENCRYPTED + base64.b64encode(self.cipher.encrypt(data)).decode("ascii")

    def open(self, text: str) -> str:
        if not text.startswith(ENCRYPTED):
            return text
        try:
            data = self.cipher.decrypt(base64.b64decode(text[len(ENCRYPTED) :]))
            if self.compressor is not None:
                data = self.compressor.decompress(data)
            return str(bytes(data).decode("utf-8"))
        except Exception:  # a wrong key or a flipped byte: one line, exit 8
            raise StoreUnavailable(
                f"{self.what} cannot be decrypted: a wrong RENDA_CIPHER_KEY, or it was altered"
            ) from None


def seal(cipher: TextCipher | None, text: str) -> str:
    return text if cipher is None else cipher.seal(text)


def unseal(cipher: TextCipher | None, text: str, what: str) -> str:
    if cipher is not None:
        return cipher.open(text)
    if text.startswith(ENCRYPTED):
        raise StoreUnavailable(f"{what} is encrypted: set RENDA_CIPHER_KEY to read it")
    return text
