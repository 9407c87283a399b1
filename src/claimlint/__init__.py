"""claimlint: lint medical claims in clinic copy against an evidence registry."""

__version__ = "0.1.0"
