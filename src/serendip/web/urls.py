"""Member-facing pages and the sign-in flows."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from serendip.web import account, attendee, my_events, network, organise, tokens, views
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
    # A member's own data and account.
    path("profile/tokens/", tokens.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", tokens.revoke, name="token-revoke"),
    path("profile/account/", account.privacy, name="account"),
    path("profile/account/export/", account.export, name="account-export"),
    path("profile/account/email/", account.change_email, name="account-email"),
    path("profile/account/email/<str:token>/", account.confirm_email, name="account-email-confirm"),
    path("profile/account/delete/", account.delete_account, name="account-delete"),
    path("profile/account/deleted/", account.deleted, name="account-deleted"),
    path("members/", views.member_list, name="member-list"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("people/", views.people_to_meet, name="people"),
    path("people/<int:pk>/", views.people_action, name="people-action"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("language/", views.set_language, name="set-language"),
    # An attendee's pages for one event.
    path("events/<slug:slug>/preferences/", attendee.preferences, name="preferences"),
    path("events/<slug:slug>/tomorrow/", attendee.tomorrow, name="tomorrow"),
    path("events/<slug:slug>/agenda/", attendee.agenda, name="agenda"),
    path("events/<slug:slug>/agenda.ics", attendee.agenda_ics, name="agenda-ics"),
    path("events/<slug:slug>/now/", attendee.now_next, name="now"),
    path("events/<slug:slug>/meetings/<int:pk>/rate/", attendee.rate_meeting, name="rate"),
    path("events/<slug:slug>/bulletin/<int:pk>/", attendee.bulletin, name="bulletin"),
    path("calendar/<str:token>.ics", attendee.calendar_feed, name="calendar-feed"),
    # Between events.
    path("network/", network.hub, name="network"),
    path("network/asks/", network.asks, name="asks"),
    path("network/asks/<int:pk>/", network.ask_detail, name="ask-detail"),
    path("network/offers/", network.offers, name="offers"),
    path("network/introductions/", network.introductions, name="introductions"),
    path(
        "network/introductions/<int:pk>/",
        network.introduction_detail,
        name="introduction-detail",
    ),
    path("network/ledger/", network.ledger, name="ledger"),
    path("network/thanks/", network.thanks, name="thanks"),
    path("network/invitations/", network.invitations, name="invitations"),
    path("network/contacts/", network.contacts, name="contacts"),
    path("network/contacts/<int:pk>/", network.contact_detail, name="contact-detail"),
    path("network/contacts.<str:fmt>", network.contacts_export, name="contacts-export"),
    path("network/unsubscribe/<str:token>/", network.unsubscribe, name="unsubscribe"),
    path("organise/invitations/", network.organise_invitations, name="organise-invitations"),
    # The organiser's pages for one event.
    path("organise/", my_events.organiser_home, name="organise-home"),
    path("organise/<slug:slug>/", organise.dashboard, name="organise"),
    path("organise/<slug:slug>/plan/", organise.plan, name="organise-plan"),
    path("organise/<slug:slug>/runs/<int:pk>/", organise.run_status, name="organise-run"),
    path("organise/<slug:slug>/publish/", organise.publish_view, name="organise-publish"),
    path("organise/<slug:slug>/letters/", organise.send_letters, name="organise-letters"),
    path("organise/<slug:slug>/meetings/", organise.meetings, name="organise-meetings"),
    path("organise/<slug:slug>/day/", organise.day, name="organise-day"),
    path("organise/<slug:slug>/replan/", organise.replan, name="organise-replan"),
    path("organise/<slug:slug>/gong/", organise.gong, name="organise-gong"),
    path("organise/<slug:slug>/meals/", organise.meals, name="organise-meals"),
    path(
        "organise/<slug:slug>/meals/runs/<int:pk>/",
        organise.seating_run_status,
        name="organise-meal-run",
    ),
    path("organise/<slug:slug>/meals/<int:pk>/", organise.meal_print, name="organise-meal"),
    path(
        "organise/<slug:slug>/meals/<int:pk>/edit/", organise.meal_edit, name="organise-meal-edit"
    ),
    path("organise/<slug:slug>/clear/", organise.clear_plan_view, name="organise-clear"),
    path("organise/<slug:slug>/report/", organise.report, name="organise-report"),
]
