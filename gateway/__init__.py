"""IBOK Gateway: the Flask app that shows a customer their ERP data. `flask --app gateway` finds create_app."""

from gateway.app import create_app

__all__ = ["create_app"]
