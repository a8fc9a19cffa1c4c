"""Memoising pure functions of a text (the dates, amounts, places of a sentence).

The extractors of one document, and documents of one site, read the same sentences again; a
bounded cache keyed by the arguments answers the repeats. Only texts up to ``MAX_CHARS`` are kept
(a cache of a thousand entries must not hold a thousand whole documents). A list answer is kept
as a tuple and every caller gets a list of its own, so no caller can change what another is given.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

T = TypeVar("T")
MAX_CHARS = 4000


def memoised(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """``functools.lru_cache(maxsize)`` for a pure function of a text (its first argument) with
    an immutable answer."""

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(text: str, *args, **kwargs) -> T:
            return (
                cached(text, *args, **kwargs) if len(text) <= MAX_CHARS else function(text, *args, **kwargs)
            )

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call

    return decorate


def listing(maxsize: int) -> Callable[[Callable[..., list[T]]], Callable[..., list[T]]]:
    """``memoised`` for a pure function of a text returning a list."""

    def decorate(function: Callable[..., list[T]]) -> Callable[..., list[T]]:
        cached = memoised(maxsize)(lambda *args, **kwargs: tuple(function(*args, **kwargs)))

        @wraps(function)
        def call(*args, **kwargs) -> list[T]:
            return list(cached(*args, **kwargs))

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call

    return decorate
