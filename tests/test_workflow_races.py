"""
Editors holding changes to one published article at the same moment, each
request in its own thread and database connection, from forms opened
alike: one edit is kept as the pending revision, the others are refused
with their text kept, and no editor gets an error.
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
    responses = [None] * EDITORS

    def post(number):
        client, data = posts[number]
        try:
            start.wait()
            responses[number] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [200] * (EDITORS - 1) + [302]
    kept = statuses.index(302)
    revision = PendingRevision.objects.get()
    assert revision.save_count == 1
    assert revision.content["body"] == posts[kept][1]["body"]
    for number, response in enumerate(responses):
        if number == kept:
            continue
        page = response.content.decode()
        assert "after you opened this article" in page
        assert f"Edit number {number}." in page
    article.refresh_from_db()
    assert article.body == "Tiredness is common."
