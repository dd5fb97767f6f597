"""
Debian's Chromium, as the browser tests, the README's screenshots and the
Lighthouse benchmark start it. Playwright's own browser download cannot be
used here, so the executable is named explicitly; the flags keep a headless
run from reaching out to the network or needing a sandbox or a GPU.
"""

import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
