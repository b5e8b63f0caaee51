"""Templates compiled once per language, with every constant `_("…")` already translated.

Most of a page's text is fixed: menu, headings, column labels, buttons. Looked up at render time they
were a fifth of a cached page's time (BENCHMARKS.md, figure 1); folded in at compile time they cost
nothing. A `_()` with values to fill in (`_("Page %(number)d", number=n)`) that is all of a `{{ … }}`
becomes the translated text around one output per value (`Strona {{ "%d" % (n) }}`); elsewhere in HTML
templates it becomes the translated text filled in with `%`, and in e-mail texts a call of the language's
own catalogue (`gettext_pl(…)`): Flask-Babel's `_` finds the request's catalogue again on every call.

Every `{{ value }}` of an escaping template goes through `escape_output`: markupsafe's escaping without the
Markup object it wraps around each value, which the page's join throws away at once (300 values in a
list of 20 invoices).
"""

from __future__ import annotations

import re
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

from gateway.web.i18n import newstyle_gettext, page_language

# Token types of Jinja's lexer (jinja2.lexer.TOKEN_*).
NAME, DOT, STRING, PIPE, COMMA, ASSIGN, COLON, MOD = "name", "dot", "string", "pipe", "comma", "assign", "colon", "mod"
DATA, OUTPUT_BEGIN, OUTPUT_END = "data", "variable_begin", "variable_end"
LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET = "lparen", "rparen", "lbrace", "rbrace", "lbracket", "rbracket"
OPENING, CLOSING = frozenset({LPAREN, LBRACE, LBRACKET}), frozenset({RPAREN, RBRACE, RBRACKET})
# A translation's pieces: a named placeholder with its conversion, a doubled %, or any other % (not folded).
PLACEHOLDER = re.compile(r"%\((?P<name>\w+)\)(?P<spec>[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])|(?P<percent>%%)|%")
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


def _named_values(tokens: Sequence[Token], at: int) -> tuple[dict[str, list[Token]], int] | None:
    """`name=value, …)` from `at`: each value's tokens and the position after the closing bracket; None when
    an argument is anything but name=value."""
    values: dict[str, list[Token]] = {}
    position = at
    while position + 1 < len(tokens) and tokens[position].type == NAME and tokens[position + 1].type == ASSIGN:
        name, position, depth, value = tokens[position].value, position + 2, 0, []
        while position < len(tokens) and not (depth == 0 and tokens[position].type in (COMMA, RPAREN)):
            if tokens[position].type in CLOSING and depth == 0:
                return None
            depth += 1 if tokens[position].type in OPENING else -1 if tokens[position].type in CLOSING else 0
            value.append(tokens[position])
            position += 1
        if position >= len(tokens) or not value:
            return None
        values[name] = value
        position += 1
        if tokens[position - 1].type == RPAREN:
            return values, position
    return (values, position + 1) if position < len(tokens) and tokens[position].type == RPAREN else None


def _output_pieces(line: int, text: str, values: dict[str, list[Token]]) -> list[Token] | None:
    """The translated text as template data, with one `{{ … }}` per placeholder; None when it has a % that
    is not a named placeholder of these values."""
    pieces: list[Token] = []
    position = 0
    for found in PLACEHOLDER.finditer(text):
        name, spec = found.group("name"), found.group("spec")
        if found.group("percent") is None and (name is None or name not in values):
            return None
        literal = text[position:found.start()] + ("%" if found.group("percent") else "")
        if literal:
            pieces.append(Token(line, DATA, literal))
        position = found.end()
        if name is None:
            continue
        value = [Token(line, LPAREN, "("), *values[name], Token(line, RPAREN, ")")]
        if spec != "s":
            value = [Token(line, STRING, f"%{spec}"), Token(line, MOD, "%"), Token(line, LPAREN, "("), *value,
                     Token(line, COMMA, ","), Token(line, RPAREN, ")")]
        pieces += [Token(line, OUTPUT_BEGIN, "{{"), *value, Token(line, OUTPUT_END, "}}")]
    if text[position:]:
        pieces.append(Token(line, DATA, text[position:]))
    return pieces


def _fold_into_output(tokens: Sequence[Token], at: int,
                      translate: Callable[[str], str]) -> tuple[list[Token], int] | None:
    """`{{ _("Strona %(n)d", n=x) }}` → `Strona {{ "%d" % ((x),) }}`: the translation as template data (as
    trusted as the Markup it is at render time), each value output and escaped on its own; None when the
    call is not all of its `{{ … }}`."""
    if not (at > 0 and tokens[at - 1].type == OUTPUT_BEGIN and _is_underscore_call(tokens, at)
            and at + 3 < len(tokens) and tokens[at + 2].type == STRING and tokens[at + 3].type == COMMA):
        return None
    named = _named_values(tokens, at + 4)
    if named is None or named[1] >= len(tokens) or tokens[named[1]].type != OUTPUT_END:
        return None
    pieces = _output_pieces(tokens[at].lineno, translate(tokens[at + 2].value), named[0])
    return (pieces, named[1] + 1) if pieces is not None else None


class ConstantTranslations(Extension):
    """Rewrites `_("text")` into `("tekst"|safe)`: a constant, marked safe exactly as the translation
    returned at render time is, which Jinja then writes into the compiled template as plain text. In
    templates that escape, `{{ _("text", name=value) }}` becomes the translated text around an output of
    each value, and any other `_("text", name=value)` the translated text filled in with `%`; any other
    `_(…)` (as in e-mail texts) a call of the language's own `gettext_pl(…)`."""

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
                fold = _fold_into_output(tokens, at, translate)
                if fold is not None:
                    rewritten.pop()  # the `{{` the pieces bring their own of
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
