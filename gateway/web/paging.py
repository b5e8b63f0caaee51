"""Paging a list the ERP returned whole: the page asked for, clamped to the pages there are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")
DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    pages: int
    total: int
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(items: Sequence[T], number: int, per_page: int = DEFAULT_PER_PAGE) -> Page[T]:
    """A page past the last shows the last one: a stale link still lands somewhere useful."""
    pages = max(1, math.ceil(len(items) / per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return Page(items[start:start + per_page], number, pages, len(items), per_page)
