"""Payments tests: the portal's fixtures with payments on, the Przelewy24 simulator, kowalski and nowak."""

from tests.modules.conftest import kowalski, nowak, sign_in_as
from tests.payments.fixtures import config, operator

__all__ = ["config", "kowalski", "nowak", "operator", "sign_in_as"]
