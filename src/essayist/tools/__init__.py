"""The author's tools, outside Sphinx: the ``blog`` command and the publish step.

* ``cli``: ``blog new`` and ``blog check`` (no build);
* ``sync``: ``python -m essayist.tools.sync``, which publishes a finished build.
"""
