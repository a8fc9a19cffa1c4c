"""Per-document work on every core: an ordered map over a pool of forked worker processes.

The per-document layers (ingest, extract) are pure functions of one document, so they spread
over processes with nothing shared; each worker writes its own staged results and sends back
only a small summary. Workers are forked, so they start with the rules, gazetteers and models
the parent has already loaded. Below ``MIN_ITEMS`` documents a pool costs more than it saves.
``COOP_WORKERS`` sets the number of processes (default: the machine's cores; 1 = no pool).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64
CHUNK = 8  # documents per task: few enough to balance, many enough to amortise the pickling


def worker_count(n_items: int) -> int:
    wanted = int(os.environ.get("COOP_WORKERS") or os.cpu_count() or 1)
    return 1 if n_items < MIN_ITEMS else max(1, min(wanted, n_items // CHUNK or 1))


def map_in_order(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None) -> Iterator[R]:
    """``map(fn, items)`` on ``workers`` processes (default ``worker_count``), results in order.
    ``fn`` must be a module-level function; its arguments and results are pickled."""
    items = list(items)
    n = workers if workers is not None else worker_count(len(items))
    if n <= 1:
        yield from map(fn, items)
        return
    with multiprocessing.get_context("fork").Pool(n) as pool:
        yield from pool.imap(fn, items, CHUNK)
