"""Templates compiled once per language, with every constant `_("…")` already translated.

A page's fixed texts (menu, headings, column labels, buttons) are translated when its template is compiled,
by a Jinja extension rewriting `_("text")` into the translation. A `_()` with values is left to Flask-Babel's
new-style gettext at render time, which escapes the values as Jinja's i18n extension always does.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, MutableMapping, Sequence

from flask import Flask, has_app_context
from flask.sansio.app import App
from flask.templating import Environment as FlaskEnvironment
from flask_babel import force_locale, get_translations
from jinja2 import Template
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from gateway.web.fragments import FragmentCache
from gateway.web.i18n import page_language

# Token types of Jinja's lexer (jinja2.lexer.TOKEN_*).
NAME, DOT, STRING, PIPE, LPAREN, RPAREN = "name", "dot", "string", "pipe", "lparen", "rparen"
# Compiled templates kept per language (Jinja's own default).
TEMPLATES_PER_LANGUAGE = 400


def constant_translation(translate: Callable[[str], str], message: str) -> str | None:
    """What `_(message)` gives at render time, or None when that depends on the moment (it would fail)."""
    try:
        return translate(message) % {}  # Jinja's new-style gettext always formats: "%%" shows as "%"
    except (KeyError, TypeError, ValueError):
        return None


def _is_constant_call(tokens: Sequence[Token], at: int) -> bool:
    """`_ ( "text" )`, and not an attribute that happens to be called `_`."""
    return (tokens[at].type == NAME and tokens[at].value == "_" and at + 3 < len(tokens)
            and tokens[at + 1].type == LPAREN and tokens[at + 2].type == STRING and tokens[at + 3].type == RPAREN
            and not (at > 0 and tokens[at - 1].type == DOT))


def _safe_text(line: int, text: str) -> list[Token]:
    """`("text"|safe)`: a translation is trusted markup, as Jinja's own gettext returns it."""
    return [Token(line, LPAREN, "("), Token(line, STRING, text), Token(line, PIPE, "|"), Token(line, NAME, "safe"),
            Token(line, RPAREN, ")")]


class ConstantTranslations(Extension):
    """Rewrites `_("text")` into `("tekst"|safe)`: a constant, marked safe exactly as the translation returned
    at render time is; every other `_(…)` is left to Flask-Babel's gettext."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        environment = self.environment
        assert isinstance(environment, PerLanguageEnvironment) and environment.translate is not None
        translate = environment.translate
        tokens = list(stream)
        at = 0
        while at < len(tokens):
            text = constant_translation(translate, tokens[at + 2].value) if _is_constant_call(tokens, at) else None
            if text is None:
                yield tokens[at]
                at += 1
                continue
            yield from _safe_text(tokens[at].lineno, text)
            at += 4


class PerLanguageEnvironment(FlaskEnvironment):
    """Flask's environment, handing out each template from a copy of itself for the page's language."""

    # Set on the per-language copies only.
    language: str | None = None
    translate: Callable[[str], str] | None = None

    def __init__(self, app: App, **options: Any) -> None:
        super().__init__(app, **options)
        self.by_language: MutableMapping[str, PerLanguageEnvironment] = {}

    def for_page(self) -> PerLanguageEnvironment:
        """The copy for the page's language; itself outside an app (no catalogue to fold with)."""
        if self.language is not None or not has_app_context():
            return self
        language = page_language()
        found = self.by_language.get(language)
        if found is None:
            found = self.by_language[language] = self._copy_for(language)
        return found

    def _copy_for(self, language: str) -> PerLanguageEnvironment:
        """Shares loader, filters and globals (Flask-Babel's `_` among them); has its own compiled templates."""
        with force_locale(language):
            catalogue = get_translations()
        copy = self.overlay(extensions=[ConstantTranslations], cache_size=TEMPLATES_PER_LANGUAGE)
        assert isinstance(copy, PerLanguageEnvironment)
        copy.language = language
        copy.translate = catalogue.ugettext
        return copy

    def get_template(self, name: str | Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> Template:
        environment = self.for_page()
        if environment is self:
            return super().get_template(name, parent, globals)
        return environment.get_template(name, parent, globals)

    def select_template(self, names: Iterable[str | Template], parent: str | None = None,
                        globals: MutableMapping[str, Any] | None = None) -> Template:
        environment = self.for_page()
        if environment is self:
            return super().select_template(names, parent, globals)
        return environment.select_template(names, parent, globals)


class Portal(Flask):
    """The portal's Flask: its templates are compiled per language (PerLanguageEnvironment), and parts of
    them may be kept per ERP answer (the `cache` tag)."""

    jinja_environment = PerLanguageEnvironment
    jinja_options = {"extensions": [FragmentCache]}


def compile_every_template(app: Flask) -> None:
    """Every template compiled in every language before the first request, so no visitor waits for it."""
    with app.app_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                for name in app.jinja_env.list_templates():
                    app.jinja_env.get_template(name)
