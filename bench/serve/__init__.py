"""
How many requests a second the site serves, as production runs it:
`python -m bench.serve` (see bench/README.md).

wrk loads gunicorn, with DEBUG off, on a throw-away site with the demo
content, once with the page cache on and once with it off. The reference
is the article's own HTML served as a static file by WhiteNoise through
the same server, so each page's rate reads as a share of what the server
can do at most.
"""
