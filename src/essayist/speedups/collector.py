"""The garbage collector, told what lives for the whole build.

Python's collector looks at every object it tracks, in a full collection, each
time the heap has grown by a quarter. A build's heap grows from nothing: at
start-up Sphinx unpickles the environment (at 1,000 essays, some hundred
megabytes of objects), and then the doctrees read pile up until they are
written. A rebuild after one edit ran three full collections while the
environment was being unpickled (a fifth of its CPU time at 300 essays), and a
full build ran ten, each longer than the last.

So, for a build:

* from essayist's set-up until the builder is ready (the environment is
  loaded then), the collector waits (``gc.disable()``): what is made meanwhile
  (Sphinx, the extensions, the configuration, the environment) lives for the
  whole build;
* then it is moved out of the collector's reach (``gc.freeze()``) and the
  collector goes on, for what the build makes from there on, with young
  generations collected ten times less often and the whole heap ten times
  less often (``gc.set_threshold``): the reading of a document makes hundreds
  of thousands of objects, most of them freed by reference counting, not by
  the collector, and what survives is nearly all kept to the end;
* when the build has finished, everything is given back to the collector and
  its settings are restored (``gc.unfreeze()``): a process that builds again
  (the tests, the warm preview's builder) does not keep the last build's
  objects for good. At exit, ``essayist.speedups.exit`` freezes them again so
  that nothing is collected then.

Nothing else changes: objects are freed when they were (reference counting), or
later (cycles made during the build, at the next collection).
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx

from ..config import Order

# The collector's thresholds during a build: the young generation collected
# after 7,000 net allocations instead of 700 (Python's default), and the whole
# heap looked at only after 100 collections of the middle one instead of 10
# (with 7 million objects more than after the last; Python also waits until
# the heap has grown by a quarter). A build's objects that live past two
# collections are nearly all kept to its end: at 1,000 essays, with 10, the
# whole heap was looked at five times (2.5 s of CPU, a build 4 to 5 s longer)
# to keep the peak 4 MB lower.
BUILD_THRESHOLDS = (7000, 10, 100)

_saved: dict[str, object] = {}


def _hold() -> None:
    if "thresholds" not in _saved:
        _saved["thresholds"] = gc.get_threshold()
        _saved["enabled"] = gc.isenabled()
    gc.disable()


def _loaded(app: Sphinx) -> None:
    if "thresholds" not in _saved:
        return
    gc.freeze()
    gc.set_threshold(*BUILD_THRESHOLDS)
    if _saved["enabled"]:
        gc.enable()


def _finished(app: Sphinx, exception: Exception | None) -> None:
    restore()


def restore() -> None:
    """Everything back to the collector, its settings as before the build."""
    if "thresholds" not in _saved:
        return
    gc.unfreeze()
    gc.set_threshold(*_saved.pop("thresholds"))
    if _saved.pop("enabled"):
        gc.enable()


def setup_collector(app: Sphinx) -> None:
    _hold()
    app.connect("builder-inited", _loaded, priority=Order.COLLECTOR_LOADED)
    app.connect("build-finished", _finished, priority=Order.FORGET_BUILD)


def leave_to_exit(leave: bool = True) -> None:
    """For a process that exits without freeing anything (a warm preview's
    worker, ``os._exit``): no collection from now on, nor once the build has
    finished (``restore`` leaves the collector off); ``leave=False`` turns it
    on again, for the rest of the build and after it."""
    if leave:
        gc.disable()
    else:
        gc.enable()
    if "enabled" in _saved:
        _saved["enabled"] = not leave
