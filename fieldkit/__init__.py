"""FieldKit: offline field-inspection client for market-regulation enforcement officers."""

__version__ = "0.1.0"
