"""
Slugs that fill themselves from a name and never clash. The helper lives
in editorial/, below every app, because images fill their slugs the same
way and may not import the glossary.
"""

from editorial.slugs import unique_slug

__all__ = ["unique_slug"]
