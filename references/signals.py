"""
Signals references send for the apps that cite them, which this app never
imports.
"""

from django.dispatch import Signal

# Sent by Reference.save() inside the save's transaction when the key has
# changed, with `reference` and `old_key`. Receivers that rewrite the
# citations of the old key return how many bodies they changed, so that the
# editor can be told.
key_changed = Signal()
