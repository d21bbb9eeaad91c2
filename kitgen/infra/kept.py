"""A bounded cache of what one process made from large texts (template parts patched or compiled): the least
recently used entry goes first."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    """Up to `size` results, each made once by `make` for its key and kept until `size` more recent ones push it out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result kept for `key`, else make()'s, kept."""
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        made = self._kept[key] = make()
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._kept)
