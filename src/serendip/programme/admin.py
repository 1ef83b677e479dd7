"""The organisers' back office for wishes, and a read-only view of meetings, ratings and runs."""

from __future__ import annotations

from django.contrib import admin

from serendip.events.admin import ReadOnlyAdmin
from serendip.programme.models import Meeting, PlanningRun, Rating, Wish


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["member", "wanted", "event", "weight", "created"]
    list_filter = ["event"]
    search_fields = ["member__last_name", "wanted__last_name", "member__email", "wanted__email"]
    autocomplete_fields = ["member", "wanted", "event"]
    list_select_related = ["member", "wanted", "event"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["event", "round", "table", "boss", "sponsor", "pinned"]
    list_filter = ["event", "pinned"]
    search_fields = ["boss__last_name", "sponsor__last_name"]
    list_select_related = ["event", "round__event", "boss", "sponsor"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    # The note is private to the rater: the back office shows the colour only.
    list_display = ["meeting", "rater", "colour", "follow_up"]
    fields = ["meeting", "rater", "colour", "follow_up"]
    list_filter = ["colour", "meeting__event"]
    list_select_related = ["meeting__round__event", "meeting__boss", "meeting__sponsor", "rater"]


@admin.register(PlanningRun)
class PlanningRunAdmin(ReadOnlyAdmin):
    list_display = ["event", "status", "meetings", "value", "upper_bound", "below_min", "created"]
    list_filter = ["event", "status"]
