"""Screens and reusable widgets, one per module."""
