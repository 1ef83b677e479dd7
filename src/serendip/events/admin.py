"""The organisers' back office for events and registrations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from serendip.events.access import can_organise, organised_by
from serendip.events.activity import action_label
from serendip.events.models import ActivityLog, Event, Registration
from serendip.events.registrations import remove_registration, save_registration


class RegistrationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Registration
    fields = [
        "member",
        "side",
        "status",
        "guaranteed_meetings",
        "representatives",
        "package_price",
        "package_currency",
    ]
    autocomplete_fields = ["member"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "start", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "slug", "venue", "city"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start"
    inlines = [RegistrationInline]
    filter_horizontal = ["organisers"]

    # The back office follows the same rule as the organiser's pages: a staff member sees and
    # changes only the events they organise (superusers all of them).
    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).filter(pk__in=organised_by(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_organise(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_organise(request.user, obj))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Registrations typed in the event's page go through the domain service, one by one
        (the event's lock, the log, a cancellation freeing the member's rounds)."""
        if formset.model is not Registration:
            super().save_formset(request, form, formset, change)
            return
        registrations = formset.save(commit=False)
        for registration in formset.deleted_objects:
            remove_registration(registration, actor=request.user)
        for registration in registrations:
            save_registration(registration, actor=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Whoever creates an event organises it, so a staff member never locks themselves out."""
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:
            form.instance.organisers.add(request.user)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["member", "event", "side", "status", "guaranteed_meetings", "representatives"]
    list_filter = ["event", "side", "status"]
    list_editable = ["status"]
    search_fields = ["member__first_name", "member__last_name", "member__email", "event__name"]
    autocomplete_fields = ["member", "event"]
    list_select_related = ["member", "event"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return super().get_queryset(request).filter(event__in=organised_by(request.user))

    # Every change (the form and the list's editable status) through the domain service.
    def save_model(self, request: HttpRequest, obj: Registration, form: Any, change: bool) -> None:
        save_registration(obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: Registration) -> None:
        remove_registration(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        for registration in queryset.select_related("event", "member"):
            remove_registration(registration, actor=request.user)

    def has_change_permission(self, request: HttpRequest, obj: Registration | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_organise(request.user, obj.event))

    def has_delete_permission(self, request: HttpRequest, obj: Registration | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_organise(request.user, obj.event))


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Seen in the back office, changed only through the organiser's pages, whose checks and
    activity log every change must go through."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    # History (meetings, ratings, the activity log) is never deleted from the back office.
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ActionFilter(admin.SimpleListFilter):
    """Filter the log by action, named in the reader's language (not by its stored code)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = ActivityLog.objects.values_list("action", flat=True).distinct()
        return sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdmin):
    # The line as organisers read it, in their language; the stored parameters stay hidden.
    list_display = ["at", "event", "actor", "what"]
    list_filter = ["event", ActionFilter]
    list_select_related = ["event", "actor"]
    fields = ["at", "event", "actor", "what"]
    readonly_fields = ["at", "what"]

    @admin.display(description=_("what happened"))
    def what(self, line: ActivityLog) -> str:
        """The line in the reader's language."""
        return line.sentence
