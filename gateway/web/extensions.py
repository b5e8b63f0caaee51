"""Unbound Flask extensions, bound to the app in create_app (the cookiecutter-flask way)."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
# Sessions end by their version (sign-out, new password, lock), an idle and an absolute timeout
# (gateway/web/sessions.py). Flask-Login's own protection is off: "basic" only marks a session not fresh,
# which no page asks, at a hash per request and 128 characters in every cookie; "strong" would sign
# a phone out each time it moves between networks.
login_manager.session_protection = None
csrf = CSRFProtect()
babel = Babel()
