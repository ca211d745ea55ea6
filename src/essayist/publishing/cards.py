"""Social cards: one PNG per post, the image a shared link shows.

Drawn with Pillow in a four-colour palette (about 8 KB a card) in Source Sans
Pro (``cardtext``: Latin, Greek, Cyrillic and Vietnamese; a text in another
script is left off the card rather than drawn as boxes): no system font, no
network, no matplotlib. A card is cached under the doctree folder by the hash of everything
drawn on it (an unchanged post costs a hash and a look at its copy's size and
time); the same
inputs give the same bytes. A card costs about 3.5 ms of CPU. What every card of
a site shares (background, accent bar, site name, host name) is drawn once into
a template each card copies: the same, pixel for pixel, as drawing it on each.
New cards are drawn off the critical path, by one forked worker on another core
while Sphinx writes the pages; with only a few, without ``fork``, with one core,
with ``-j N``, or when the worker fails, the build draws them at the end.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import json
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import PIL  # its version only: Pillow's drawing is imported by the first card drawn
from sphinx.application import Sphinx
from sphinx.util import logging

from ..blog.adapter import builds_blog, get_blog, month_year
from ..config import Order, site_url
from ..incremental.outputs import output_state
from ..incremental.state import StateFile, build_cache
from .cardtext import MAX_LINE_CHARS as MAX_LINE_CHARS
from .cardtext import SMALL_SIZE, drawable, fit_line
from .cardtext import TITLE_SIZES as TITLE_SIZES
from .cardtext import _font as _font
from .cardtext import fit_title as fit_title
from .copies import CopyRecord
from .hosts import host_text

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from PIL import Image, ImageDraw

logger = logging.getLogger(__name__)

CARD_WIDTH, CARD_HEIGHT = 1200, 630
CARD_FOLDER = "_cards"
CACHE_FOLDER = "essayist-cards"
# The cards copied into the output (see ``copies``): a state file.
COPIED = "cards-copied"
# Bump when the drawing changes: every card is redrawn once.
CARD_VERSION = 4
MARGIN = 80
PALETTE = [
    0x1B, 0x1E, 0x24,  # 0 background
    0xC9, 0xA2, 0x27,  # 1 accent
    0xFF, 0xFF, 0xFF,  # 2 title
    0xB8, 0xBE, 0xC9,  # 3 small print
]  # fmt: skip
KICKER_XY = (MARGIN, 70)
TITLE_XY = (MARGIN, 160)
BYLINE_XY = (MARGIN, CARD_HEIGHT - 80)
HOST_XY = (CARD_WIDTH - MARGIN, CARD_HEIGHT - 80)
# Fewer new cards are drawn inline: forking costs about as much as drawing one.
MIN_WORKER_CARDS = 4
# How long the end of the build waits for the worker: far more than drawing
# takes (a few ms a card), so only a hung worker is given up on.
WORKER_SECONDS = 30.0
WORKER_SECONDS_PER_CARD = 0.1


@dataclass(frozen=True)
class Card:
    title: str
    kicker: str  # site name and tagline, above the title
    byline: str  # date and author, bottom left
    host: str  # where the site lives, bottom right


def card_uri(docname: str) -> str:
    """Where a post's card is, relative to the site's root."""
    return f"{CARD_FOLDER}/{docname}.png"


def card_key(card: Card) -> str:
    # vars() is asdict() for these plain strings, without its deep copies.
    payload = json.dumps([CARD_VERSION, PIL.__version__, vars(card)], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _draw_host(draw: ImageDraw.ImageDraw, host: str) -> None:
    draw.text(HOST_XY, host, font=_font(SMALL_SIZE), fill=1, anchor="rs")


@functools.lru_cache(maxsize=4)
def card_template(kicker: str, host: str) -> tuple[Image.Image, tuple[int, int, int, int], bytes]:
    """What every card of a site shares, drawn once: the image (never changed,
    only copied), the box of the host name's pixels and those pixels."""
    from PIL import Image, ImageDraw

    img = Image.new("P", (CARD_WIDTH, CARD_HEIGHT), 0)
    img.putpalette(PALETTE)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 15, CARD_HEIGHT), fill=1)
    if drawable(kicker):
        draw.text(KICKER_XY, kicker.upper(), font=_font(SMALL_SIZE), fill=3)
    alone = Image.new("L", img.size, 0)
    _draw_host(ImageDraw.Draw(alone), host)
    box = alone.getbbox() or (0, 0, 0, 0)
    _draw_host(draw, host)
    return img, box, img.crop(box).tobytes()


def draw_card(card: Card) -> bytes:
    """The card as PNG bytes."""
    from PIL import ImageDraw

    template, host_box, host_pixels = card_template(card.kicker, card.host)
    img = template.copy()
    draw = ImageDraw.Draw(img)
    if drawable(card.title):
        font, lines = fit_title(draw, card.title, CARD_WIDTH - 2 * MARGIN)
        draw.multiline_text(TITLE_XY, "\n".join(lines), font=font, fill=2, spacing=16)
    if drawable(card.byline):
        # Never into the host name: cut short with "…" before it.
        room = host_box[0] - BYLINE_XY[0] - MARGIN // 2 if host_box[2] else CARD_WIDTH
        byline = fit_line(draw, card.byline, _font(SMALL_SIZE), room)
        draw.text(BYLINE_XY, byline, font=_font(SMALL_SIZE), fill=3, anchor="ls")
    # Text only sets the pixels its glyphs cover, so drawing the host name first
    # gives the same card as drawing it last unless the title or byline reached
    # into it (their colours differ from the host's): then it is drawn again.
    if img.crop(host_box).tobytes() != host_pixels:
        _draw_host(draw, card.host)
    out = io.BytesIO()
    # Fastest compression: a third of the time of the default, a quarter bigger.
    img.save(out, "PNG", compress_level=1)
    return out.getvalue()


def cached_card(card: Card, cache: Path) -> Path:
    """The path of ``card``'s PNG in ``cache``, drawn only if not there yet."""
    path = cache / f"{card_key(card)}.png"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(draw_card(card))
        tmp.replace(path)
    return path


def missing_cards(cards: list[Card], cache: Path) -> list[Card]:
    """The cards not in ``cache`` yet, each once."""
    have = set(os.listdir(cache)) if cache.is_dir() else set()
    missing = {}
    for card in cards:
        name = f"{card_key(card)}.png"
        if name not in have:
            missing.setdefault(name, card)
    return list(missing.values())


def _remove_partial(cache: Path) -> None:
    """Half-written cards of a worker or build that was stopped."""
    for tmp in cache.glob("*.tmp") if cache.is_dir() else []:
        tmp.unlink(missing_ok=True)


def _draw_in_child(cards: list[Card], cache: Path, conn: Connection) -> None:
    """The worker: draw ``cards`` into ``cache``, send back their keys or the error.

    It shares the build's memory (forked) but touches none of it: no logging,
    no Sphinx; a stop from the build ends it at once.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.freeze()  # the build's objects stay shared with it, not copied
    try:
        answer: list[str] | str = [cached_card(card, cache).stem for card in cards]
    except BaseException as err:  # the build draws them inline
        answer = f"{type(err).__name__}: {err}"
    with contextlib.suppress(OSError):  # the build stopped listening
        conn.send(answer)
    conn.close()


def can_fork(app: Sphinx) -> bool:
    """Whether a forked worker can draw on a core the build does not use."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if app.parallel > 1:
        return False  # -j N: Sphinx's own workers use the cores
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Forking a process with threads can deadlock the child.
    return (cores or 1) >= 2 and threading.active_count() == 1


class CardWorker:
    """One forked process drawing cards into the cache while the build goes on."""

    def __init__(self, cards: list[Card], cache: Path) -> None:
        self.cache = cache
        self.timeout = WORKER_SECONDS + WORKER_SECONDS_PER_CARD * len(cards)
        context = multiprocessing.get_context("fork")
        self.conn, child_conn = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_draw_in_child,
            args=(cards, cache, child_conn),
            name="essayist-cards",
            daemon=True,  # ended with the build's process, whatever happens
        )
        try:
            self.process.start()
        except BaseException:
            self.conn.close()
            raise
        finally:
            child_conn.close()

    def result(self) -> list[str]:
        """The keys of the cards drawn; raises if the worker failed or hung."""
        grace = 0.0
        try:
            if not self.conn.poll(self.timeout):
                raise TimeoutError(f"no answer in {self.timeout:.0f} s")
            answer = self.conn.recv()
            grace = 5.0  # it is on its way out
        except EOFError:
            raise RuntimeError("the worker ended without an answer") from None
        finally:
            self.stop(grace)
        if isinstance(answer, str):
            raise RuntimeError(answer)
        return answer

    def stop(self, grace: float = 0.0) -> None:
        """End the worker, at once unless given ``grace`` seconds, and remove
        what it half wrote."""
        self.process.join(grace)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process.close()
        self.conn.close()
        _remove_partial(self.cache)


def post_card(app: Sphinx, post) -> Card:
    config = app.config
    site = config.essayist_site_name or config.project
    tagline = config.blog_feed_subtitle or ""
    authors = " & ".join(a.name for a in post.author)
    when = month_year(post.date) if post.date else "Draft"
    return Card(
        title=post.title,
        kicker=f"{site} · {tagline}" if tagline else site,
        byline=f"{when} · {authors}" if authors else when,
        host=host_text(site_url(config)),
    )


def write_cards(app: Sphinx) -> int:
    """Bring ``_cards/`` in line with the posts; return how many files changed."""
    outdir = Path(app.builder.outdir)
    cache = Path(app.doctreedir) / CACHE_FOLDER
    have = set(os.listdir(cache)) if cache.is_dir() else set()  # one listing, no stat a card
    copies = CopyRecord(StateFile(app, COPIED))
    used: set[str] = set()
    changed = 0
    for post in get_blog(app).posts:
        card = post_card(app, post)
        key, target = card_key(card), outdir / card_uri(post.docname)
        source = cache / f"{key}.png" if f"{key}.png" in have else cached_card(card, cache)
        used.add(source.name)
        changed += copies.copy(source, target, key)
    copies.save()
    # A post that went back to being a draft, or was removed, loses its card.
    changed += copies.remove_others(outdir / CARD_FOLDER, ".png")
    # The cache keeps only the cards of the current posts, and no half-written one.
    for stale in [cache / name for name in have - used if name.endswith((".png", ".tmp"))]:
        stale.unlink(missing_ok=True)
    return changed


def _wants_cards(app: Sphinx) -> bool:
    if not builds_blog(app) or app.builder.name == "singlehtml":
        return False
    # The live preview is never shared: no cards, faster rebuilds.
    return not app.config.essayist_preview


def _write_started(app: Sphinx, builder) -> None:
    """Start drawing the posts' new cards in a worker, if that can help."""
    if not _wants_cards(app) or not can_fork(app):
        return
    cache = Path(app.doctreedir) / CACHE_FOLDER
    missing = missing_cards([post_card(app, post) for post in get_blog(app).posts], cache)
    if len(missing) < MIN_WORKER_CARDS:
        return
    try:
        build_cache(app)["card_worker"] = CardWorker(missing, cache)
    except Exception as err:  # the cards are then drawn inline
        logger.debug("essayist: cards drawn inline, no worker (%s)", err)


def _wait_for(worker: CardWorker) -> None:
    try:
        drawn = worker.result()
    except Exception as err:  # what it did not draw is drawn inline
        logger.debug("essayist: card worker failed, drawing inline (%s)", err)
    else:
        logger.debug("essayist: %d social card(s) drawn by the worker", len(drawn))


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    worker = build_cache(app).pop("card_worker", None)
    if (
        exception is not None
        or not _wants_cards(app)
        # No source, setting or code changed: every card stands.
        or output_state(app).all_current()
    ):
        if worker is not None:
            worker.stop()
        return
    if worker is not None:
        _wait_for(worker)
    changed = write_cards(app)
    if changed:
        logger.info("essayist: %d social card(s) written", changed)


def setup_cards(app: Sphinx) -> None:
    app.connect("write-started", _write_started)
    app.connect("build-finished", _build_finished, priority=Order.OUTPUTS_USED)
