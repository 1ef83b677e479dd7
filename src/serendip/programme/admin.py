"""The organisers' back office for wishes to meet."""

from __future__ import annotations

from django.contrib import admin

from serendip.programme.models import Wish


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["member", "wanted", "event", "weight", "created"]
    list_filter = ["event"]
    search_fields = ["member__last_name", "wanted__last_name", "member__email", "wanted__email"]
    autocomplete_fields = ["member", "wanted", "event"]
    list_select_related = ["member", "wanted", "event"]
