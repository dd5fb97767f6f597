"""Entry point for `python -m bench.corpus`."""

import sys

from bench.harness import main_with_django

if __name__ == "__main__":
    sys.exit(main_with_django("bench.corpus.run"))
