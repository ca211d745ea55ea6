"""Sphinx configuration for Perucy Mussiba's essays on AI alignment.

Settings only: behaviour lives in the ``essayist`` extension (``src/essayist``).
"""

import os

# -- Project information -----------------------------------------------------

project = "Perucy Mussiba"
author = "Perucy Mussiba"
copyright = "2026, Perucy Mussiba"
language = "en"

# -- General configuration ---------------------------------------------------

extensions = [
    "myst_parser",
    "ablog",
    "essayist",
    "notfound.extension",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
]

# The site's root is the project's root: only these are pages.
include_patterns = ["index.md", "docs/**", "posts/**"]
# Folders Sphinx need not walk looking for pages (it walks every folder, not
# only those above).
exclude_patterns = ["_build", ".venv", "node_modules", "benchmarks", "tests"]

# The site's own template overrides. essayist adds its Furo-compatible
# templates after these and ABlog's after those.
templates_path = ["_templates"]

# Every reference must resolve (Read the Docs has no ``-n`` flag).
nitpicky = True

# Mathematics: $…$, $$…$$ (dollarmath) and amsmath environments written as they
# are (\begin{align}…). essayist writes every formula into the page as MathML
# when the site is built: MathJax would come from another host as a script,
# which the pages' Content-Security-Policy refuses and feed readers never run.
# An <img> of its own (html_image) is an image like ![...](...): its file is
# published. (One inside other HTML is not: the build says so at its line.)
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "amsmath", "html_image"]
# A dollar sign beside a digit is money, not mathematics ("$5 and $10").
myst_dmath_allow_digits = False
# MyST's markers for MathJax: the site has no MathJax.
myst_update_mathjax = False
myst_heading_anchors = 3

# -- Options for the blog (ABlog) --------------------------------------------

# The public URL of the site: feeds, the sitemap and canonical links are
# absolute. SITE_BASE_URL when set (the GitHub Pages workflow passes the
# address Pages reports); else Read the Docs' own address when building there;
# else the default below (see the author's guide, "Publishing").
blog_baseurl = os.environ.get("SITE_BASE_URL", "")
blog_title = "Perucy Mussiba"
blog_path = "posts"
blog_post_pattern = ["posts/*/*"]
blog_authors = {"Perucy Mussiba": ("Perucy Mussiba", None)}
blog_default_author = "Perucy Mussiba"
# essayist writes the feeds (the site's, and one per tag, category and concept),
# each with the 20 newest posts in full text.
blog_feed_length = 20
blog_feed_subtitle = "Essays on AI alignment"
# Dates show as month and year, as on the original pages.
post_date_format = "%B %Y"
post_date_format_short = "%B %Y"
post_auto_excerpt = 1

# -- Options for essayist ----------------------------------------------------

# The site's address when neither SITE_BASE_URL nor Read the Docs says.
essayist_default_base_url = "https://perucymussiba.github.io/essays/"
# A fixed authority for feed entry ids (RFC 4151 tag URIs): ids must never change
# when the site moves host, so they are not derived from ``blog_baseurl``.
essayist_feed_id_authority = "perucymussiba.github.io,2026"
# The time zone the author writes in: decides when a scheduled post is due.
essayist_timezone = os.environ.get("SITE_TIMEZONE", "UTC")
# ``make serve`` sets ESSAYIST_PREVIEW=1: drafts and scheduled posts are built and
# marked. Published builds leave them out entirely.
essayist_preview = os.environ.get("ESSAYIST_PREVIEW", "") == "1"
# Every post's license, stated on the post (in "Cite this essay") and in each
# feed entry (<rights>); a post may say otherwise in front matter (`license:`).
essayist_license = "CC BY 4.0"
essayist_license_url = "https://creativecommons.org/licenses/by/4.0/"

# -- Options for HTML output -------------------------------------------------

html_theme = "furo"
html_title = "Perucy Mussiba"
html_static_path = ["_static"]
html_theme_options = {
    "top_of_page_buttons": [],
}
html_copy_source = False
html_show_sourcelink = False

# -- Options for sharing: canonical links, descriptions, social cards --------

# Every page's <link rel="canonical"> (essayist sets html_baseurl from it), og:url,
# the sitemap and the social cards' og:image all derive from blog_baseurl, the one
# setting for the site's URL.

# Shown by search engines and link previews for pages with nothing better
# (archive pages); a post is described by its excerpt.
essayist_site_description = "Perucy Mussiba's essays on AI alignment."
html_favicon = "_static/favicon.svg"

# -- Options for the 404 page (sphinx-notfound-page) -------------------------

# The page's body, with links home and to the archives, is written by essayist;
# notfound_urls_prefix is derived from where the site is served (blog_baseurl),
# so its links work at any depth.
notfound_context = {"title": "Page not found"}

# -- Options for redirects ----------------------------------------------------

# A post's old URLs (front matter `redirect:`) forward at once, not after
# ABlog's default five seconds.
post_redirect_refresh = 0

# -- Options for citations (sphinxcontrib-bibtex) -----------------------------

# The works essays cite ({cite}`key`); each essay ends with a list of those it
# cites, and only those (essayist adds it: no {bibliography} directive to write).
bibtex_bibfiles = ["references.bib"]
# The list in the order the essay first cites each work, numbered: "[1]" in the
# text is the first entry of the list.
bibtex_default_style = "unsrt"
bibtex_reference_style = "label"
# A citation shows its work on hover and focus (essayist's previews): no
# browser tooltip on top of it.
bibtex_tooltips = False

# -- Options for copy buttons (sphinx-copybutton) -----------------------------

# Shell prompts and Python's ">>> " are not copied with the command.
copybutton_exclude = ".linenos, .gp, .go"
