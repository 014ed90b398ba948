"""Acme Industrial's kam rules."""

__version__ = "1.0.0"
