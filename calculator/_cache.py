"""A tiny per-catalog cache: indexes are built once per catalog object, not once per call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["per_catalog"]

T = TypeVar("T")
# id(catalog) -> (catalog, {kind: index}); the catalog is kept alive so its id cannot be reused.
_CACHE: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}
_MAX = 8


def per_catalog(catalog: Mapping[str, Any], kind: str, build: Callable[[Mapping[str, Any]], T]) -> T:
    """Return ``build(catalog)``, computed once per catalog object and index kind.

    Catalogs are treated as immutable once passed in: mutate a copy, not the original.
    """
    entry = _CACHE.get(id(catalog))
    if entry is None or entry[0] is not catalog:
        if len(_CACHE) >= _MAX:
            _CACHE.pop(next(iter(_CACHE)))
        entry = (catalog, {})
        _CACHE[id(catalog)] = entry
    store = entry[1]
    if kind not in store:
        store[kind] = build(catalog)
    result: T = store[kind]
    return result
