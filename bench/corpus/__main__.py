"""Entry point for `python -m bench.corpus`."""

import os
import sys


def _main():
    # The markup and linking modules read Django settings, so Django is set
    # up before they are imported. No database is touched.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

    from bench.corpus.run import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
