"""Footnote: answers questions about a site's articles by quoting them."""

__version__ = "0.1.0"
