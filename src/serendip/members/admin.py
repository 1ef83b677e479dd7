"""The organisers' back office for members, organisations, connections and tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Registration
from serendip.members.models import ApiToken, Connection, Member, Organisation


class MemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Member
    fields = ["first_name", "last_name", "email", "job_title", "side"]
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "industry", "city", "member_count"]
    list_filter = ["industry"]
    search_fields = ["name", "city"]
    inlines = [MemberInline]

    @admin.display(description=_("members"))
    def member_count(self, organisation: Organisation) -> int:
        return organisation.members.count()


class RegistrationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Registration
    fields = ["event", "side", "status", "guaranteed_meetings", "representatives"]
    autocomplete_fields = ["event"]
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["full_name", "email", "organisation", "side", "language", "seniority"]
    list_filter = ["side", "language", "seniority", "industry", "contact_visibility"]
    search_fields = ["first_name", "last_name", "email", "organisation__name", "job_title"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [RegistrationInline]
    exclude = ["user"]

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        """Keep the member's sign-in account in step; a new member gets one without password."""
        obj.email = obj.email.lower()
        if obj.user_id is None:
            obj.user = get_user_model().objects.create_user(username=obj.email, email=obj.email)
        user = obj.user
        user.username = user.email = obj.email
        user.first_name, user.last_name = obj.first_name, obj.last_name
        user.save()
        super().save_model(request, obj, form, change)


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["member_a", "member_b", "how", "since", "last_interaction"]
    list_filter = ["how"]
    search_fields = [
        "member_a__last_name",
        "member_b__last_name",
        "member_a__email",
        "member_b__email",
    ]
    autocomplete_fields = ["member_a", "member_b"]

    def save_model(self, request: HttpRequest, obj: Connection, form: Any, change: bool) -> None:
        """Store the pair smaller id first, whichever order the organiser typed it in."""
        if obj.member_a_id > obj.member_b_id:
            obj.member_a_id, obj.member_b_id = obj.member_b_id, obj.member_a_id
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["member", "name", "created", "last_used"]
    readonly_fields = ["member", "name", "created", "last_used"]
    search_fields = ["member__email", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are shown once at creation: create them with `serendip apitoken`.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).select_related("member")
