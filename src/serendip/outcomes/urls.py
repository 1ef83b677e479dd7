"""The outcome pages."""

from django.urls import path

from serendip.outcomes import views

urlpatterns = [
    path("outcomes/", views.mine, name="outcomes"),
    path("outcomes/record/", views.record, name="outcome-record"),
    path("outcomes/<int:pk>/", views.detail, name="outcome-detail"),
    path("outcomes/<int:pk>/edit/", views.edit, name="outcome-edit"),
    path("outcomes/questions/<int:pk>/", views.question, name="outcome-question"),
]
