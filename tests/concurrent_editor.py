"""
One editor of tests/test_concurrent_editing.py, run as a process of its own
beside other editors and the background worker:

    python -m tests.concurrent_editor '<plan as JSON>'

For the plan's number of seconds it edits its own articles (new text that
mentions terms of every editor, and names since renamed away) and its own
terms (renames, new aliases, new bodies, new terms, deletions), through
Model.save or, with "how": "admin", through the admin's forms posted whole
by a logged-in superuser. Every save attempted is written to the plan's log
as one JSON line: what was typed and whether the save committed, was
refused (nothing committed; refused by validation, or a transient database
error the site answers with "try again") or failed. The last line sums up
what each own article and term holds after the editor's last committed
save.
"""

import json
import os
import random
import sys
import time


def main(plan):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.test.utils import override_settings

    # As in tests/conftest.py: static files without collectstatic, and the
    # test client's host.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
        ALLOWED_HOSTS=["testserver"],
    ):
        Editor(plan).run()


class Editor:
    def __init__(self, plan):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from articles.models import Article
        from glossary.models import Term
        from tests.factories import sign_in

        self.plan = plan
        self.random = random.Random(plan["seed"])
        self.articles = dict(
            Article.objects.filter(pk__in=plan["articles"]).values_list("pk", "body")
        )
        self.terms = {
            term.pk: stored_fields(term)
            for term in Term.objects.filter(pk__in=plan["terms"])
        }
        self.deleted = []
        self.names_seen = set()
        self.count = 0
        self.log = open(plan["log"], "w")  # noqa: SIM115 - closed by run()
        self.client = None
        if plan["how"] == "admin":
            self.client = sign_in(
                Client(), get_user_model().objects.get(username=plan["username"])
            )

    def run(self):
        operations = [
            (self.edit_article, 8),
            (self.rename_term, 2),
            (self.change_aliases, 2),
            (self.edit_term_body, 1),
            (self.add_term, 1),
            (self.delete_term, 1),
        ]
        functions, weights = zip(*operations, strict=True)
        # Every editor begins at the same moment, once all have started.
        time.sleep(max(0, self.plan["start_at"] - time.time()))
        end = time.monotonic() + self.plan["seconds"]
        with self.log:
            while time.monotonic() < end:
                (operation,) = self.random.choices(functions, weights)
                record = operation()
                if record:
                    self.log.write(json.dumps(record) + "\n")
            self.log.write(json.dumps(self.summary()) + "\n")

    # Texts

    def new_word(self):
        """A made-up drug name that no other editor can type."""
        self.count += 1
        syllables = ["ta", "zo", "ri", "ve", "lu", "mo", "ka", "ne"]
        n, middle = self.count, ""
        while n:
            n, digit = divmod(n, len(syllables))
            middle += syllables[digit]
        suffix = self.random.choice(["mab", "cept", "kinra", "tinib"])
        return f"{self.plan['prefix']}{middle}{suffix}"

    def names_now(self):
        from glossary.models import Term, split_aliases

        names = []
        for name, aliases in Term.objects.values_list("name", "aliases"):
            names += [name, *split_aliases(aliases)]
        self.names_seen.update(names)
        return names

    def new_body(self):
        """
        Text mentioning terms as they are named now, often a name that has
        gone, sometimes as an explicit [[link]]; never the same twice.
        """
        names = self.names_now()
        mentioned = self.random.sample(names, min(len(names), 3))
        if self.names_seen and self.random.random() < 0.5:
            mentioned.append(self.random.choice(sorted(self.names_seen)))
        sentences = [f"Edit {self.plan['writer']}-{self.count} of this page."]
        for name in mentioned:
            if self.random.random() < 0.2:
                sentences.append(f"See [[{name}]] for more.")
            else:
                sentences.append(f"{name} is discussed here.")
        self.count += 1
        return " ".join(sentences)

    # Operations on own articles and terms

    def edit_article(self):
        from articles.models import Article

        pk = self.random.choice(sorted(self.articles))
        text = self.new_body()

        def save():
            article = Article.objects.get(pk=pk)
            if self.client:
                return self.post_change(article, body=text)
            article.body = text
            article.save()

        def committed():
            return Article.objects.filter(pk=pk, body=text).exists()

        record = self.attempt("edit article", pk, save, committed, body=text)
        if record["outcome"] == "committed":
            self.articles[pk] = text
        return record

    def rename_term(self):
        name = self.new_word()
        return self.change_term("rename term", name=name)

    def change_aliases(self):
        aliases = "\n".join(self.new_word() for __ in range(self.random.randint(1, 2)))
        return self.change_term("change aliases", aliases=aliases)

    def edit_term_body(self):
        return self.change_term("edit term body", body=self.new_body())

    def change_term(self, what, **fields):
        from glossary.models import Term

        if not self.terms:
            return None
        pk = self.random.choice(sorted(self.terms))

        def save():
            term = Term.objects.get(pk=pk)
            if self.client:
                return self.post_change(term, **fields)
            for field, value in fields.items():
                setattr(term, field, value)
            term.full_clean()
            term.save()

        def committed():
            term = Term.objects.filter(pk=pk).first()
            if term is None:
                return False
            expected = Term(**{**stored_fields(term), **fields})
            expected.aliases = "\n".join(expected.alias_list)
            return all(getattr(term, f) == getattr(expected, f) for f in fields)

        record = self.attempt(what, pk, save, committed, **fields)
        if record["outcome"] == "committed":
            self.terms[pk] = stored_fields(Term.objects.get(pk=pk))
        return record

    def add_term(self):
        from django.urls import reverse

        from glossary.models import Term
        from tests.admin_pages import admin_form

        name = self.new_word()
        fields = {
            "name": name,
            "kind": "drug",
            "aliases": self.new_word(),
            "definition": f"A medicine, added as {name}.",
            "body": self.new_body(),
        }

        def save():
            if self.client:
                url = reverse("admin:glossary_term_add")
                data = admin_form(self.client, url)
                data.update(fields)
                return self.client.post(url, data)
            term = Term(**fields)
            term.full_clean()
            term.save()

        def committed():
            return Term.objects.filter(name=name).exists()

        record = self.attempt("add term", None, save, committed, **fields)
        if record["outcome"] == "committed":
            term = Term.objects.get(name=name)
            record["target"] = term.pk
            self.terms[term.pk] = stored_fields(term)
        return record

    def delete_term(self):
        from django.urls import reverse

        from glossary.models import Term

        if len(self.terms) < 2:
            return None
        pk = self.random.choice(sorted(self.terms))

        def save():
            if self.client:
                url = reverse("admin:glossary_term_delete", args=[pk])
                return self.client.post(url, {"post": "yes"})
            Term.objects.get(pk=pk).delete()

        def committed():
            return not Term.objects.filter(pk=pk).exists()

        record = self.attempt("delete term", pk, save, committed)
        if record["outcome"] == "committed":
            del self.terms[pk]
            self.deleted.append(pk)
        return record

    # Saving and telling what happened

    def post_change(self, obj, **fields):
        from tests.admin_pages import SAVE_AND_PUBLISH, admin_form, change_url

        url = change_url(obj)
        data = admin_form(self.client, url)
        data.update(fields)
        # Published articles' edits go live at once, as a publisher's do;
        # other forms ignore the button.
        data.update(SAVE_AND_PUBLISH)
        return self.client.post(url, data)

    def attempt(self, what, target, save, committed, **typed):
        """
        Run one save and say what became of it: "committed", "refused"
        (nothing committed: the admin's form shown again with its errors;
        from Model.save, a validation error or a transient database error,
        which the caller may try again), "raised after commit" or "failed"
        (anything else, such as an admin error page, or a save that
        reported success and is not stored).
        """
        from django.core.exceptions import ValidationError

        from glossary.transient import is_transient

        record = {"writer": self.plan["writer"], "what": what, "target": target}
        record.update(typed)
        began = time.monotonic()
        try:
            response = save()
        except Exception as error:  # noqa: BLE001 - every error is recorded
            record["seconds"] = round(time.monotonic() - began, 3)
            record["error"] = repr(error)
            if committed():
                record["outcome"] = "raised after commit"
            elif self.client is None and (
                isinstance(error, ValidationError) or is_transient(error)
            ):
                record["outcome"] = "refused"
            else:
                # Through the admin, an error is a server error page.
                record["outcome"] = "failed"
            return record
        record["seconds"] = round(time.monotonic() - began, 3)
        if response is not None and response.status_code != 302:
            record["status"] = response.status_code
            shown_again = response.status_code == 200 and not committed()
            record["outcome"] = "refused" if shown_again else "failed"
            return record
        record["outcome"] = "committed" if committed() else "failed"
        return record

    def summary(self):
        return {
            "writer": self.plan["writer"],
            "articles": {str(pk): body for pk, body in self.articles.items()},
            "terms": {str(pk): fields for pk, fields in self.terms.items()},
            "deleted": self.deleted,
        }


def stored_fields(term):
    return {
        "name": term.name,
        "aliases": term.aliases,
        "body": term.body,
        "definition": term.definition,
    }


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main(json.loads(sys.argv[1]))
