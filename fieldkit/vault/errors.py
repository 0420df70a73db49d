"""Errors of the vault; every message is Chinese and says what the officer can do."""

from __future__ import annotations

from fieldkit.errors import FieldkitError


class VaultError(FieldkitError):
    """Something about the keys went wrong (a damaged keyring file, an unknown format)."""


class Locked(VaultError):
    """The store is encrypted and nobody has logged in: a password (or the office key) is needed."""


class WrongPassword(VaultError):
    """The password does not open this officer's key (or the officer has no key on this laptop)."""


class TooSoon(VaultError):
    """Too many wrong passwords in a row: the next try is allowed only after `wait_seconds`."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(message)


class BadPassword(VaultError):
    """A new password that the rules refuse (too short); the message names the rule."""
