"""Export bundles (.fkb): canonical records, device keys, write, verify, read, office envelope."""

from fieldkit.bundle._io import discard_abandoned_parts
from fieldkit.bundle.canonical import canonical_json, parse_canonical
from fieldkit.bundle.errors import (
    BundleError,
    BundleRefused,
    BundleWriteError,
    CanonicalJsonError,
    EnvelopeError,
    KeyFileError,
    WrongKeyError,
)
from fieldkit.bundle.keys import (
    fingerprint,
    format_fingerprint,
    generate_device_key,
    generate_office_key,
    load_device_public_key,
    load_office_private_key,
    load_office_public_key,
    load_private_key,
    public_key_pem,
)
from fieldkit.bundle.manifest import FORMAT, FORMAT_VERSION, DeviceInfo, FileEntry, Manifest, RecordEntry
from fieldkit.bundle.reader import (
    Limits,
    RecordIn,
    VerifyReport,
    iter_records,
    open_file,
    records_of,
    verify_bundle,
)
from fieldkit.bundle.writer import BundleResult, FileOut, NothingToExport, RecordOut, write_bundle

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BundleError",
    "BundleRefused",
    "BundleResult",
    "BundleWriteError",
    "CanonicalJsonError",
    "DeviceInfo",
    "EnvelopeError",
    "FileEntry",
    "FileOut",
    "KeyFileError",
    "Limits",
    "Manifest",
    "NothingToExport",
    "RecordEntry",
    "RecordIn",
    "RecordOut",
    "VerifyReport",
    "WrongKeyError",
    "canonical_json",
    "discard_abandoned_parts",
    "fingerprint",
    "format_fingerprint",
    "generate_device_key",
    "generate_office_key",
    "iter_records",
    "load_device_public_key",
    "load_office_private_key",
    "load_office_public_key",
    "load_private_key",
    "open_file",
    "parse_canonical",
    "public_key_pem",
    "records_of",
    "verify_bundle",
    "write_bundle",
]
