"""The reports' pages: the member's, a sponsor organisation's, the club's and one event's."""

from django.urls import path

from serendip.reports import views

urlpatterns = [
    path("reports/", views.home, name="reports"),
    path("reports/me/", views.member_report, name="report-me"),
    path("reports/sponsors/<int:pk>/", views.sponsor_report, name="report-sponsor"),
    path("reports/club/", views.club_report, name="report-club"),
    path("reports/events/<slug:slug>/", views.event_report, name="report-event"),
]
