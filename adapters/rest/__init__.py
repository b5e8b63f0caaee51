"""The REST adapter over the reference contract's OpenAPI description, through requests."""
