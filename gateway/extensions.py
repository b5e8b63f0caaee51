"""Unbound Flask extensions, bound to the app in create_app (the cookiecutter-flask way)."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
