"""Member-facing pages and the sign-in flows."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from serendip.web import views
from serendip.web.forms import MemberPasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=MemberPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", views.profile_edit, name="profile"),
    path("members/", views.member_list, name="member-list"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("people/", views.people_to_meet, name="people"),
    path("people/<int:pk>/", views.people_action, name="people-action"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("language/", views.set_language, name="set-language"),
]
