"""A file raw HTML shows is one the build publishes, or the build says so at
its line (essayist.content.rawfiles); an ``<img>`` of its own is an image
(MyST's ``html_image``, on in the site's conf.py) and its file is published."""

from __future__ import annotations

import re

from blogtools import build, copy_root
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from essayist.content.rawfiles import file_addresses

POST = """\
---
date: 2026-01-10
---

# Pictures

<img src="chart.png" alt="a chart of its own" width="50%">

Words and <img src="chart.png" alt="among words"> more words.

<figure>
<img src="chart.png" alt="in a figure" srcset="chart.png 1x, big.png 2x">
<figcaption>A chart</figcaption>
</figure>

<p align="center"><img src="https://example.org/x.png" alt="remote"></p>

<div><video src="../../_static/clip.mp4#t=3" poster="data:image/png;base64,AAAA"></video></div>

<div><audio src="../../../../secret.ogg"></audio></div>

<div><img src="/from-the-host-root.png"><a href="notes.txt">notes</a><img src="#top"></div>

<div><source srcset="../../_static/missing.webp"></div>

<div><video src="clip.mp4"></video></div>
"""

SUFFIX = "[essayist.raw_file]"
EXPECTED = [
    ("12", "<img> 'chart.png': the build publishes no file that only raw HTML shows: write "
     "it as ![...](chart.png) on a line of its own"),
    ("12", "<img> 'big.png': no such file is published: write it as ![...](big.png) on a "
     "line of its own"),
    ("20", "<audio> '../../../../secret.ogg': it is outside the site: put the file in a "
     "folder of html_static_path and give its _static/ address"),
    ("24", "<source> '../../_static/missing.webp': no such file is published: put the file "
     "in a folder of html_static_path and give its _static/ address"),
    ("26", "<video> 'clip.mp4': the build publishes no file that only raw HTML shows: put "
     "the file in a folder of html_static_path and give its _static/ address"),
]  # fmt: skip


def test_files_only_raw_html_shows_are_named_at_their_line(tmp_path):
    src = copy_root("minimal", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('myst_enable_extensions = ["html_image"]\nhtml_static_path = ["media"]\n')
    (src / "media").mkdir()
    (src / "media/clip.mp4").write_bytes(b"clip")
    (src / "posts/2026/chart.png").write_bytes(b"\x89PNG chart")
    (src / "posts/2026/clip.mp4").write_bytes(b"clip")
    (src / "posts/2026/pictures.md").write_text(POST, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    found = re.findall(
        r"posts/2026/pictures\.md:(\d+): WARNING: (.*) \[essayist\.raw_file\]", warnings
    )
    assert found == EXPECTED
    assert len(warnings.strip().splitlines()) == len(EXPECTED)
    page = BeautifulSoup(
        (app.outdir / "posts/2026/pictures.html").read_text("utf-8"), "html.parser"
    )
    images = {
        img["alt"]: img["src"] for img in page.find("article").find_all("img") if img.get("alt")
    }
    # An <img> of its own, alone or among words, is an image: its file is published.
    assert images["a chart of its own"] == images["among words"] == "../../_images/chart.png"
    assert (app.outdir / "_images/chart.png").read_bytes() == b"\x89PNG chart"
    assert images["remote"] == "https://example.org/x.png"
    assert (app.outdir / "_static/clip.mp4").is_file()


def test_an_unchanged_page_still_names_the_file_on_the_next_build(tmp_path):
    """The warning comes again until the file is fixed (incremental.loud)."""
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/clip.md").write_text(
        '---\ndate: 2026-01-11\n---\n\n# Clip\n\n<div><video src="clip.mp4"></video></div>\n',
        encoding="utf-8",
    )
    first = build(src, tmp_path / "out")[1]
    again = build(src, tmp_path / "out")[1]
    line = "posts/2026/clip.md:7: WARNING: <video> 'clip.mp4': no such file is published"
    assert line in first and line in again


def test_addresses_in_raw_html_are_read_as_a_browser_reads_them():
    html = (
        '<IMG SRC="a&amp;b.png" srcset=" c.png 2x ,d.png">\n<picture><source '
        "src='e.webp'></picture><video poster=f.jpg><track src=g.vtt></video>"
        '<a href="h.png">h</a><img src=""><object data="i.svg"></object>'
    )
    assert file_addresses(html) == [
        (1, "img", "a&b.png"),
        (1, "img", "c.png"),
        (1, "img", "d.png"),
        (2, "source", "e.webp"),
        (2, "video", "f.jpg"),
        (2, "track", "g.vtt"),
        (2, "object", "i.svg"),
    ]


@given(st.text(alphabet=st.sampled_from("<>/=\"' imgsrcsetvideo.png,\n&;x"), max_size=200))
def test_any_raw_html_is_read_without_an_error(html):
    for line, tag, address in file_addresses(html):
        assert line >= 1 and tag and address == address.strip()


def test_an_image_without_alt_text_is_named_at_its_line(tmp_path, capsys):
    """docutils wrote an image with no alt with its address as its text
    (alt="../../_images/small.png"), read out by screen readers."""
    src = copy_root("minimal", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('myst_enable_extensions = ["html_image"]\n')
    (src / "posts/2026/small.png").write_bytes(b"\x89PNG small")
    post = (
        "---\ndate: 2026-01-12\n---\n\n# Pictures\n\n"
        '<img src="small.png">\n\n<img src="small.png" alt="a chart">\n\n![](small.png)\n\n'
        "```{figure} small.png\nA caption says it.\n```\n\n```{image} small.png\n```\n"
    )
    (src / "posts/2026/alt.md").write_text(post, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    found = re.findall(r"posts/2026/alt\.md:(\d+): WARNING: image '([^']*)' has no alt", warnings)
    assert found == [("7", "posts/2026/small.png"), ("17", "posts/2026/small.png")]
    page = BeautifulSoup((app.outdir / "posts/2026/alt.html").read_text("utf-8"), "html.parser")
    alts = [img.get("alt") for img in page.find("article").find_all("img")]
    assert alts == ["", "a chart", "", "", ""]
    # blog check names the same lines, from the source.
    from essayist.tools.cli import main

    assert main(["--root", str(src), "check"]) == 1
    out = capsys.readouterr().out
    assert re.findall(r"posts/2026/alt\.md:(\d+): image '[^']*' has no alt", out) == ["7", "17"]


def test_blog_check_reads_alt_text_where_the_build_does():
    """An image's alt in a directive's YAML block, and an <img> that is code (in
    backticks, indented, in a comment, in a code directive) were named by
    blog check and blog import, which the build was not."""
    from essayist.content.alt import alt_problems

    text = (
        "# T\n\n```{image} /_static/favicon.svg\n---\nalt: A cat\n---\n```\n\n"
        'Use `<img src="a.png">` with alt.\n\n    <img src="b.png">\n\n'
        '<!-- <img src="c.png"> -->\n\n:::{code-block} html\n<img src="d.png">\n:::\n\n'
        ':::{note}\n<img src="e.png">\n:::\n\n```{image} x.png\n```\n\n:::{figure} f.png\n:::\n'
    )
    assert [(line, msg.split(" has")[0]) for line, msg in alt_problems(text)] == [
        (20, "image 'e.png'"),
        (23, "image 'x.png'"),
        (26, "image 'f.png'"),
    ]
    assert alt_problems(text, html_images=False)[0][0] == 23
