from django.urls import path

from references import views

app_name = "references"

urlpatterns = [
    path("references/", views.ReferenceListView.as_view(), name="list"),
    # A key is a slug, which holds no dot: mcinnes-2007.bib
    path(
        "references/<slug:key>.<str:extension>",
        views.reference_export,
        name="export",
    ),
]
