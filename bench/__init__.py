"""Benchmarks, run by hand; see bench/README.md."""

import os

from tests.process_environment import use_a_throwaway_secret_key

# The benchmarks run the site with DEBUG off, on data of their own.
use_a_throwaway_secret_key()
# Those that time views in their own process measure how pages are drawn:
# kept pages would answer their repeated requests instead. bench/serve
# switches the page cache on or off for each server it starts.
os.environ["PORTAL_PAGE_CACHE"] = "0"
