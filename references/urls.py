from django.urls import path

from references import views

app_name = "references"

urlpatterns = [
    path("references/", views.ReferenceListView.as_view(), name="list"),
]
