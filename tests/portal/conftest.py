"""The portal tests' fixtures live in tests/portal_fixtures.py (shared with the module tests)."""

from tests.portal_fixtures import PASSWORD, sign_in

__all__ = ["PASSWORD", "sign_in"]
