"""The organisers' back office for members, organisations, connections and tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from serendip.events.models import Registration
from serendip.members import industries
from serendip.members.models import ApiToken, Connection, Industry, Member, Organisation
from serendip.members.privacy import erase_member, is_erased
from serendip.members.services import accounts_without_member

# Addresses typed without a scheme are taken as https (Django 6's default, without the warning).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class MemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Member
    fields = ["first_name", "last_name", "email", "job_title", "side"]
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Industries the organiser adds to the fixed vocabulary (listed in the help text)."""

    list_display = ["code", "label_fr", "label_en", "used_by"]
    search_fields = ["code", "label_fr", "label_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Members and organisations store the code: renaming it would orphan them.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or self.used_by(obj) == 0

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        fixed = ", ".join(i.label() for i in industries.FIXED)
        return super().changelist_view(
            request, {**(extra_context or {}), "subtitle": _("Always available: %s") % fixed}
        )

    @admin.display(description=_("members and organisations"))
    def used_by(self, industry: Industry) -> int:
        return (
            Member.objects.filter(industry=industry.code).count()
            + Organisation.objects.filter(industry=industry.code).count()
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "industry", "city", "member_count"]
    list_filter = ["industry"]
    search_fields = ["name", "city"]
    inlines = [MemberInline]
    formfield_overrides = URL_FIELDS

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
    list_display = ["name", "email", "organisation", "side", "language", "seniority"]
    list_filter = ["side", "language", "seniority", "industry", "contact_visibility"]
    search_fields = ["first_name", "last_name", "email", "organisation__name", "job_title"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [RegistrationInline]
    exclude = ["user"]
    formfield_overrides = URL_FIELDS
    actions = ["erase_members"]

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, member: Member) -> str:
        """The member's full name, under a column title in the organiser's language."""
        return member.full_name

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would tear holes in others' history (meetings, ratings, registrations)
        # and leave the login behind: members are erased instead (the action below).
        return False

    def has_erase_permission(self, request: HttpRequest) -> bool:
        """Erasing is what deleting used to be: it needs the model's delete permission."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}")

    @admin.action(description=_("Erase (anonymise) the selected members"), permissions=["erase"])
    def erase_members(
        self, request: HttpRequest, queryset: QuerySet[Member]
    ) -> TemplateResponse | None:
        """Erase each selected member's personal data and login, after a confirmation page."""
        members = list(queryset.select_related("user"))
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "account/admin_erase_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase (anonymise) members"),
                    "opts": self.opts,
                    "members": members,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        erased = [m for m in members if not is_erased(m)]
        for member in erased:
            erase_member(member, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d member erased; their history stays, anonymised.",
                "%(count)d members erased; their history stays, anonymised.",
                len(erased),
            )
            % {"count": len(erased)},
            messages.SUCCESS,
        )
        return None

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        """Keep the member's sign-in account in step; a new member gets one without password."""
        obj.email = obj.email.lower()
        if obj.user_id is None:
            # An organiser's account made before they were a member becomes theirs.
            obj.user = accounts_without_member([obj.email]).get(
                obj.email
            ) or get_user_model().objects.create_user(username=obj.email, email=obj.email)
        user = obj.user
        user.username = user.email = obj.email
        user.first_name, user.last_name = obj.first_name, obj.last_name
        user.save()
        super().save_model(request, obj, form, change)


class ConnectionForm(forms.ModelForm):  # type: ignore[type-arg]
    """Accepts the two members in either order and stores them smaller id first."""

    class Meta:
        model = Connection
        fields = ["member_a", "member_b", "how", "since", "last_interaction"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        a, b = data.get("member_a"), data.get("member_b")
        if a is not None and b is not None:
            if a.pk == b.pk:
                raise forms.ValidationError(_("A connection links two different members."))
            if a.pk > b.pk:
                data["member_a"], data["member_b"] = b, a
                # The instance is built from cleaned_data after clean(): keep both in step.
                self.instance.member_a, self.instance.member_b = b, a
        return data


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ConnectionForm
    list_display = ["member_a", "member_b", "how", "since", "last_interaction"]
    list_filter = ["how"]
    search_fields = [
        "member_a__last_name",
        "member_b__last_name",
        "member_a__email",
        "member_b__email",
    ]
    autocomplete_fields = ["member_a", "member_b"]


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


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MemberAwareUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Django's user admin, except that an account with a member profile cannot be deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting the account would delete the member and, through them, others' history:
        # members are erased from the member admin instead. No bulk delete either.
        if obj is None or Member.objects.filter(user=obj).exists():
            return False
        return super().has_delete_permission(request, obj)
