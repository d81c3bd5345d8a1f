"""Speed helpers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Loading a plan creates hundreds of thousands of small objects that all stay
    alive; each collection would walk them again, making large plans superlinear.
    Nothing built there forms garbage cycles worth collecting meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # what was built stays alive for the rest of the command: move it out of the collector's
            # reach first, or the collection that follows re-enabling would walk all of it (~45 ms at 10,000 actions)
            gc.freeze()
            gc.enable()
