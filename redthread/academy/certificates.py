"""Verification codes of certificates. A code is twelve symbols of Crockford's base 32
(no I, L, O or U, so it reads aloud and types without doubt), shown as three groups of
four; eleven are random (55 bits: a forger who guesses meets the rate limit long before a
real code) and the last is a check symbol, so most typing mistakes are caught before the
database is asked. Reading a code forgives case, spaces, dashes and the look-alikes O→0,
I and L→1."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12


def _check_symbol(body: str) -> str:
    # A weighted sum modulo 31 (a prime): it catches a single wrong symbol (but 0 for Z)
    # and a swap of two neighbours; the check symbol is never the alphabet's last one.
    total = sum((index + 1) * ALPHABET.index(symbol) for index, symbol in enumerate(body))
    return ALPHABET[total % 31]


def code_new() -> str:
    """A fresh code, normalised (no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH - 1))
    return body + _check_symbol(body)


def code_normalise(raw: str) -> str | None:
    """``raw`` as a normalised code, or ``None`` when it cannot be one (wrong length, a
    symbol outside the alphabet, or a check symbol that does not match)."""
    text = raw.upper().translate(str.maketrans("OIL", "011", " -\t"))
    if len(text) != LENGTH or any(symbol not in ALPHABET for symbol in text):
        return None
    if _check_symbol(text[:-1]) != text[-1]:
        return None
    return text


def code_display(code: str) -> str:
    """``code`` in groups of four: ``7K2M-Q9XD-3HPA``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
