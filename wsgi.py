"""The portal for `flask` run in the project folder: without --app, Flask looks for wsgi.py and calls create_app."""

from gateway import create_app

__all__ = ["create_app"]
