"""Benchmarks, run by hand; see bench/README.md."""

from tests.process_environment import use_a_throwaway_secret_key

# The benchmarks run the site with DEBUG off, on data of their own.
use_a_throwaway_secret_key()
