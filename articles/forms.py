import datetime

from django import forms
from taggit.models import Tag

from articles.models import Article
from glossary.forms import OwnAddressMixin

# What an editor who may not publish can set an article to.
EDITOR_STATUSES = [Article.Status.DRAFT, Article.Status.IN_REVIEW]


class ArticleAdminForm(OwnAddressMixin, forms.ModelForm):
    """
    The admin's article form; a slug in use names the article using it.

    An article with changes waiting for approval is shown as those changes
    have it, so that work continues from them. Who may do what is set per
    request by the admin (ArticleAdmin.get_form): an editor who may not
    publish chooses only Draft or In review, and only a publisher who is
    also a medical reviewer sees the medical review box.
    """

    medically_reviewed = forms.BooleanField(
        label="I have reviewed this medically",
        required=False,
        help_text=(
            "Tick when publishing to record your medical review, dated today; "
            "readers see your name as the reviewer."
        ),
    )

    user_can_publish = False
    user_can_review = False
    publish_pressed = False

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "tags",
            "status",
            "published_at",
            "updated_at",
            "author",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.instance.pk is not None
        # Read before the instance takes the typed values.
        self.status_as_loaded = self.instance.status if saved else None
        self.pending_revision = self.instance.waiting_revision
        if self.pending_revision is not None:
            self.initial.update(initial_values(self.pending_revision.content))
        if "status" in self.fields and not self.user_can_publish:
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value in EDITOR_STATUSES
            ]
        if not (self.user_can_publish and self.user_can_review):
            del self.fields["medically_reviewed"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("medically_reviewed") and not self.publishes:
            self.add_error(
                "medically_reviewed",
                "A medical review is recorded as the article is published: "
                "press “Save and publish”, or approve the waiting changes on "
                "the review page.",
            )
        return cleaned_data

    @property
    def new_status(self):
        return self.cleaned_data.get("status", self.status_as_loaded)

    @property
    def holds_for_approval(self):
        """
        Whether this save waits for approval: the article was published
        and stays so, and the publish button was not pressed.
        """
        return (
            self.status_as_loaded == Article.Status.PUBLISHED
            and self.new_status == Article.Status.PUBLISHED
            and not self.publish_pressed
        )

    @property
    def publishes(self):
        """Whether this save puts its content live."""
        if self.publish_pressed:
            return True
        return (
            self.new_status == Article.Status.PUBLISHED
            and self.status_as_loaded != Article.Status.PUBLISHED
        )


def initial_values(content):
    """A pending revision's content as the article form's initial values."""
    values = dict(content)
    values["updated_at"] = datetime.datetime.fromisoformat(content["updated_at"])
    # The tag field reads its initial value as tags, not names.
    values["tags"] = [Tag(name=name) for name in content["tags"]]
    del values["references"]
    return values
