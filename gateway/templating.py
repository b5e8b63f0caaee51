"""Templates compiled once per language, with every constant `_("…")` already translated.

Most of a page's text is fixed: menu, headings, column labels, buttons. Looked up at render time they
were a fifth of a cached page's time (BENCHMARKS.md, figure 1); folded in at compile time they cost
nothing. A `_()` with values to fill in (`_("Page %(number)d", number=n)`) becomes the translated text
filled in with `%` in HTML templates, and a call of the language's own catalogue (`gettext_pl(…)`) in
e-mail texts: Flask-Babel's `_` finds the request's catalogue again on every call.

Every `{{ value }}` of an escaping template goes through `escape_output`: markupsafe's escaping without the
Markup object it wraps around each value, which the page's join throws away at once (300 values in a
list of 20 invoices).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, MutableMapping, Sequence

from flask import Flask, has_app_context
from flask.sansio.app import App
from flask.templating import Environment as FlaskEnvironment
from flask_babel import force_locale, get_translations
from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import _escape_inner

from gateway.i18n import newstyle_gettext, page_language

# Token types of Jinja's lexer (jinja2.lexer.TOKEN_*).
NAME, DOT, STRING, PIPE, COMMA, ASSIGN, COLON, MOD = "name", "dot", "string", "pipe", "comma", "assign", "colon", "mod"
LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET = "lparen", "rparen", "lbrace", "rbrace", "lbracket", "rbracket"
OPENING, CLOSING = frozenset({LPAREN, LBRACE, LBRACKET}), frozenset({RPAREN, RBRACE, RBRACKET})
# Compiled templates kept per language (Jinja's own default).
TEMPLATES_PER_LANGUAGE = 400


def constant_translation(translate: Callable[[str], str], message: str) -> str | None:
    """What `_(message)` gives at render time, or None when that depends on the moment (it would fail)."""
    try:
        return translate(message) % {}  # Jinja's new-style gettext always formats: "%%" shows as "%"
    except (KeyError, TypeError, ValueError):
        return None


def escape_output(value: Any) -> str:
    """markupsafe.escape(value) as plain text: the same characters, without building a Markup object."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


class PlainTextOutput(CodeGenerator):
    """Jinja's compiler writing `escape_output(…)` where it writes `escape(…)` for an output expression.
    Only output uses it, and output is only ever joined into the page, a macro's or a block's text."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self.writeline(f"from {__name__} import escape_output")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile:
            self.write("(escape_output if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("escape_output(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


def gettext_name(language: str) -> str:
    """The template global translating into one language (`_` of that language's templates)."""
    return f"gettext_{language}"


def _is_underscore_call(tokens: Sequence[Token], at: int) -> bool:
    """`_ (` at this position, and not an attribute that happens to be called `_`."""
    return (tokens[at].type == NAME and tokens[at].value == "_" and at + 1 < len(tokens)
            and tokens[at + 1].type == LPAREN and not (at > 0 and tokens[at - 1].type == DOT))


def _is_constant_call(tokens: Sequence[Token], at: int) -> bool:
    """`_ ( "text" )`: nothing to fill in."""
    return (_is_underscore_call(tokens, at) and at + 3 < len(tokens)
            and tokens[at + 2].type == STRING and tokens[at + 3].type == RPAREN)


def _safe_text(line: int, text: str) -> list[Token]:
    """`("text"|safe)`: a translation is trusted markup, as Jinja's own gettext returns it."""
    return [Token(line, LPAREN, "("), Token(line, STRING, text), Token(line, PIPE, "|"), Token(line, NAME, "safe"),
            Token(line, RPAREN, ")")]


def _fold_constant(tokens: Sequence[Token], at: int, translate: Callable[[str], str]) -> tuple[list[Token], int] | None:
    """`_("text")` → `("tekst"|safe)`, and where to go on; None when it is not that."""
    if not _is_constant_call(tokens, at):
        return None
    text = constant_translation(translate, tokens[at + 2].value)
    return (_safe_text(tokens[at].lineno, text), at + 4) if text is not None else None


def _fold_with_values(tokens: Sequence[Token], at: int,
                      translate: Callable[[str], str]) -> tuple[list[Token], int] | None:
    """`_("Page %(n)d", n=x)` → `(("Strona %(n)d"|safe) % {"n": x})`: what Jinja's new-style gettext does
    in a template that escapes (the values escaped by Markup's %), without the call; None when the call
    has anything but name=value arguments."""
    if not (_is_underscore_call(tokens, at) and at + 3 < len(tokens)
            and tokens[at + 2].type == STRING and tokens[at + 3].type == COMMA):
        return None
    line = tokens[at].lineno
    folded = [Token(line, LPAREN, "("), *_safe_text(line, translate(tokens[at + 2].value)), Token(line, MOD, "%"),
              Token(line, LBRACE, "{")]
    position, depth, expect_name = at + 4, 0, True
    while position < len(tokens):
        token = tokens[position]
        if depth == 0 and expect_name:
            if not (token.type == NAME and position + 1 < len(tokens) and tokens[position + 1].type == ASSIGN):
                return None
            folded += [Token(token.lineno, STRING, token.value), Token(token.lineno, COLON, ":")]
            position, expect_name = position + 2, False
            continue
        if token.type in CLOSING and depth == 0:
            if token.type != RPAREN:
                return None
            return [*folded, Token(token.lineno, RBRACE, "}"), Token(token.lineno, RPAREN, ")")], position + 1
        depth += 1 if token.type in OPENING else -1 if token.type in CLOSING else 0
        expect_name = token.type == COMMA and depth == 0
        folded.append(token)
        position += 1
    return None


class ConstantTranslations(Extension):
    """Rewrites `_("text")` into `("tekst"|safe)`: a constant, marked safe exactly as the translation
    returned at render time is, which Jinja then writes into the compiled template as plain text. In
    templates that escape, `_("text", name=value)` becomes the translated text filled in with `%`; any
    other `_(…)` (as in e-mail texts) a call of the language's own `gettext_pl(…)`."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        environment = self.environment
        assert isinstance(environment, PerLanguageEnvironment)
        assert environment.translate is not None and environment.language is not None
        translate, own_gettext = environment.translate, gettext_name(environment.language)
        autoescape = environment.autoescape
        escapes = bool(autoescape(stream.name) if callable(autoescape) else autoescape)
        tokens = list(stream)
        rewritten: list[Token] = []
        at = 0
        while at < len(tokens):
            fold = _fold_constant(tokens, at, translate)
            if fold is None and escapes:
                fold = _fold_with_values(tokens, at, translate)
            if fold is not None:
                replacement, at = fold
                rewritten += replacement
                continue
            underscore = _is_underscore_call(tokens, at)
            rewritten.append(Token(tokens[at].lineno, NAME, own_gettext) if underscore else tokens[at])
            at += 1
        return rewritten


class PerLanguageEnvironment(FlaskEnvironment):
    """Flask's environment, handing out each template from a copy of itself for the page's language."""

    code_generator_class = PlainTextOutput

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
        """Shares loader, filters and globals (to which it adds gettext_<language>); has its own compiled
        templates."""
        with force_locale(language):
            catalogue = get_translations()
        self.globals[gettext_name(language)] = newstyle_gettext(catalogue.ugettext)
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
    """The portal's Flask: its templates are compiled per language (PerLanguageEnvironment)."""

    jinja_environment = PerLanguageEnvironment
