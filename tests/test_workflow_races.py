"""
Editors holding changes to one published article at the same moment, each
request in its own thread and database connection: one pending revision
results, counting every save, and no editor gets an error.
"""

import threading

import pytest
from django.db import connection

from articles.models import PendingRevision
from tests.admin_pages import admin_form, change_url
from tests.factories import logged_in, make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS = 4


def test_editors_holding_changes_at_once_share_one_revision(roles):
    article = make_article(title="Fatigue", body="Tiredness is common.")
    url = change_url(article)
    posts = []
    for number in range(EDITORS):
        client = logged_in(make_user(f"editor{number}", "Editors"))
        data = admin_form(client, url)
        data["body"] = f"Tiredness is common. Edit number {number}."
        posts.append((client, data))
    start = threading.Barrier(EDITORS)
    statuses = [None] * EDITORS

    def post(number):
        client, data = posts[number]
        try:
            start.wait()
            statuses[number] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert statuses == [302] * EDITORS
    revision = PendingRevision.objects.get()
    assert revision.save_count == EDITORS
    assert revision.content["body"] in {data["body"] for __, data in posts}
    article.refresh_from_db()
    assert article.body == "Tiredness is common."
