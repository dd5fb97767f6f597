"""
What a kept page shows: the keys it depends on, recorded as it renders.

While a page renders, every row of a tracked model that is read becomes
one of its keys ("glossary.term:12"), so a page depends on exactly the rows
it read (caching/signals.py records them). A view adds the lists it shows
(`Recorder.lists`), whose membership no single row holds: a list key
("articles.article") changes when a row joins or leaves a list or moves in
it. A tracked model is declared once (caching.signals.track), in the app
that knows what pages show (portal/apps.py).
"""

import contextvars
from dataclasses import dataclass, field

# Every page depends on this key: changing it drops every kept page (after
# migrations, an import, `manage.py clear_page_cache`).
EVERYTHING = "everything"

_recording = contextvars.ContextVar("page_dependencies", default=None)


@dataclass(frozen=True)
class Tracked:
    list_fields: tuple
    belongs_to: tuple
    next_due: object


tracked = {}


def register(model, list_fields=(), belongs_to=(), next_due=None):
    tracked[model] = Tracked(tuple(list_fields), tuple(belongs_to), next_due)


def row_key(model, pk):
    return f"{model._meta.label_lower}:{pk}"


def list_key(model):
    return model._meta.label_lower


def belongs(model):
    return bool(tracked[model].belongs_to)


def has_lists(model):
    return model in tracked and bool(tracked[model].list_fields)


@dataclass
class Recorder:
    """The keys of one page as it renders, and whether it may be kept."""

    keys: set = field(default_factory=lambda: {EVERYTHING})
    keep: bool = False

    def lists(self, *labels):
        """The page shows lists of these models ("articles.article")."""
        self.keys.update(label.lower() for label in labels)

    def valid_until(self):
        """
        When a list the page shows changes with no write (nanoseconds, as
        versions.now), or None.
        """
        dues = (
            model_tracked.next_due()
            for model, model_tracked in tracked.items()
            if model_tracked.next_due and list_key(model) in self.keys
        )
        return min(
            (int(due.timestamp() * 10**9) for due in dues if due is not None),
            default=None,
        )


def recording():
    """The recorder of the page rendering in this context, or None."""
    return _recording.get()


def start_recording():
    recorder = Recorder()
    return recorder, _recording.set(recorder)


def stop_recording(token):
    _recording.reset(token)
