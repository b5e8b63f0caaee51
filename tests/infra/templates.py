"""Compiled templates kept for the whole test session: each test builds its own app, and each app would otherwise
parse and compile every page template again for each language."""

from __future__ import annotations

from typing import Any, Hashable

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

# What Jinja's lexer and code generator read from an environment: the same template compiles the same way under
# the same values, whichever app the environment belongs to.
_COMPILE_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


def _same_across_apps(value: Any) -> Hashable:
    """A method of an app (Flask's autoescape choice) stands for its function, shared by every app of the class."""
    return getattr(value, "__func__", value)


def compile_settings(environment: Environment) -> tuple[Hashable, ...]:
    """Everything besides the source that shapes a template's code: the portal's per-language copies fold in
    their catalogue's translations (the files it read), Flask picks autoescaping by the template's name."""
    translate = getattr(environment, "translate", None)
    catalogue = getattr(translate, "__self__", None)
    return (
        getattr(environment, "language", None),
        tuple(getattr(catalogue, "files", ())),
        tuple(sorted(environment.extensions)),
        _same_across_apps(environment.autoescape),
        _same_across_apps(environment.finalize),
        *(getattr(environment, name) for name in _COMPILE_SETTINGS),
    )


class SessionBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache in memory: a template's code kept by its name, file and compile settings, and (by
    the bucket itself) rejected once its source changes."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, tuple[Hashable, ...]], bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.kept.get(self._key(bucket))
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[self._key(bucket)] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.kept.clear()

    @staticmethod
    def _key(bucket: Bucket) -> tuple[str, tuple[Hashable, ...]]:
        return bucket.key, compile_settings(bucket.environment)
