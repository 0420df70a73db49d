"""Encryption at rest (issue 13): the data key, its wraps per officer and to the office, and sealed blobs.

This package is the one place that knows how keys are made, wrapped and unwrapped. The store opens
SQLCipher with a key it is given; the evidence store encrypts files with a key it is given; neither
knows where the key came from. See docs/security.md for the threat model.
"""
