"""Sources: parsers (pure: bytes/str -> Articles) and fetchers (HTTP only), kept apart."""
