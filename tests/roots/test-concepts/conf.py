extensions = ["myst_parser", "essayist"]
html_theme = "furo"
blog_post_pattern = ["posts/*/*"]
blog_baseurl = "https://example.org/"
blog_authors = {"Perucy Mussiba": ("Perucy Mussiba", None)}
blog_default_author = "Perucy Mussiba"
essayist_today = "2026-11-01"
essayist_feed_id_authority = "example.org,2026"
