"""Errors of the bundle layer; every message is Chinese and names what was refused."""

from __future__ import annotations

from collections.abc import Sequence

from fieldkit.errors import FieldkitError


class BundleError(FieldkitError):
    """Base of every error raised by fieldkit.bundle."""


class CanonicalJsonError(BundleError):
    """A record cannot be written as canonical JSON (a float, a datetime object, a non-string key…)."""

    def __init__(self, where: str, message: str):
        self.where = where  # JSON path of the offending value, e.g. "data.items[2].amount"
        super().__init__(f"{where}：{message}" if where else message)


class BundleWriteError(BundleError):
    """Export stopped (a file's bytes differ from its declared hash or size, a bad record…); no bundle was left."""


class BundleRefused(BundleError):
    """A bundle failed verification; carries every problem found, each a specific Chinese sentence."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("包被拒收：" + "；".join(self.problems))


class KeyFileError(BundleError):
    """A key file is missing, of the wrong kind, already exists or cannot be read."""


class EnvelopeError(BundleError):
    """An encrypted bundle cannot be decrypted: not an envelope, damaged, truncated or tampered with."""


class WrongKeyError(EnvelopeError):
    """The encrypted bundle was made for another office key."""
