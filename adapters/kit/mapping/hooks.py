"""Python hooks named in a mapping file: a dotted name, `package.module:function`, imported at start-up."""

from __future__ import annotations

import importlib
from typing import Any, Callable


def resolve_hook(name: Any) -> Callable[..., Any]:
    """The function a hook names; ValueError saying why when it cannot be imported or is not callable."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a hook is a dotted name, package.module:function")
    module_name, _, attribute = name.replace(":", ".").rpartition(".")
    if not module_name:
        raise ValueError(f"hook {name!r} is not a dotted name, package.module:function")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except ImportError as error:
        raise ValueError(f"hook {name!r} cannot be imported ({type(error).__name__}: {error})") from None
    except AttributeError:
        raise ValueError(f"hook {name!r}: module {module_name} has no {attribute}") from None
    if not callable(found):
        raise ValueError(f"hook {name!r} is not a function")
    return found
