"""The OpenAPI API: members, organisations, events and registrations.

Authentication is either the browser session (with its CSRF token) or a
personal token sent as ``Authorization: Bearer sdp_...`` (``serendip apitoken``).
Reading is open to every member; writing club data is for organisers (staff),
except a member's own profile and their own attendance answer.
"""

# No `from __future__ import annotations` here: ninja reads the parameters of a paginated
# view through ninja's own wrapper, where names such as `Search` would not resolve.
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import IntegrityError
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Router
from ninja import errors as ninja_errors
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from serendip.api import schemas
from serendip.api.network import router as network_router
from serendip.api.outcomes import router as outcomes_router
from serendip.api.reports import router as reports_router
from serendip.api.schemas import Search, Slug
from serendip.engines.recommend import IncompleteProfile
from serendip.events import services as event_services
from serendip.events.access import can_organise, is_club_organiser
from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.registrations import save_registration
from serendip.events.services import PastIsFrozen, answer_coming
from serendip.members.access import can_see_contact
from serendip.members.current import (
    NoMemberProfile,
    current_member,
    member_required,
    remember_member,
)
from serendip.members.models import Connection, Member, Organisation
from serendip.members.recommendations import suggestions_for
from serendip.members.services import create_organisation as add_organisation
from serendip.members.services import (
    member_for_token,
    update_profile,
)

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """A personal API token, as ``Authorization: Bearer <token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        member = member_for_token(token)
        if member is not None:
            request.user = member.user
            remember_member(request, member)  # the token named its member: no second look-up
        return member


class SerendipApi(NinjaAPI):
    """The API, whose operations have names a generated client can use (``listMembers``)."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        """The view's name in camelCase, unless the operation names itself (``operation_id``)."""
        first, *rest = operation.view_func.__name__.split("_")
        return first + "".join(word.capitalize() for word in rest)


api = SerendipApi(
    title="serendip API",
    version="1",
    description=(
        "Members, organisations, events and registrations of a serendip club; the seminar "
        "(set-up, pair rules, planning runs, hand edits, publication, the day, agendas, "
        "now/next, preferences, ratings, follow-ups, bulletins), meals and seating, contacts. "
        "Authenticate with your browser session or a personal token "
        "(`Authorization: Bearer sdp_...`, created with `serendip apitoken EMAIL`)."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any unexpected error: a bare JSON 500, whatever DEBUG says; the traceback goes to the log.

    Never Django's debug page: it would show the caller other members' data from the stack.
    """
    # What Django itself answers with a 4xx keeps its status, as JSON.
    if isinstance(exc, NoMemberProfile):  # an account without a profile: said so, in its language
        return api.create_response(request, {"detail": str(exc)}, status=403)
    if isinstance(exc, PermissionDenied):
        return api.create_response(request, {"detail": "Forbidden"}, status=403)
    if isinstance(exc, (BadRequest, SuspiciousOperation)):
        return api.create_response(request, {"detail": "Bad request"}, status=400)
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": "Server error"}, status=500)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    # ninja puts a body field at ("body", <parameter>, field...): the parameter name means
    # nothing to the caller, so the field is named as in the request ("body.topic").
    parts = [str(part) for part in location]
    if len(parts) >= 2 and parts[0] == "body":
        parts = ["body", *parts[2:]] if len(parts) > 2 else parts[:1]
    return ".".join(parts)


@api.exception_handler(ninja_errors.ValidationError)
def refused_input(request: HttpRequest, exc: ninja_errors.ValidationError) -> HttpResponse:
    """A request that does not fit the schema: 422 naming each field and why (``ErrorOut``)."""
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid request."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413, with the limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request, {"detail": f"The request body is larger than {limit} bytes."}, status=413
    )


class Pages(PageNumberPagination):
    """Page-number pagination where a page past the end is empty, however large its number."""

    class Input(PageNumberPagination.Input):
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_page_size=100, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        """The page asked for; an empty page rather than an offset the database cannot take."""
        count = self._items_count(queryset)
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        items = queryset[offset : offset + page_size] if offset < count else []
        return {self.items_attribute: items, "count": count}


def _viewer(request: HttpRequest) -> Member | None:
    return current_member(request)


def _require_staff(request: HttpRequest) -> None:
    if not is_club_organiser(request.user):
        raise HttpError(403, "Only organisers may change this.")


def _require_organiser(request: HttpRequest, event: Event) -> None:
    if not can_organise(request.user, event):
        raise HttpError(403, "Only this event's organisers may change this.")


def _refused(exc: ValidationError) -> HttpError:
    """The model's refusal as a 422 naming each field and why."""
    reasons = "; ".join(
        f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
        for field, messages in exc.message_dict.items()
    )
    return HttpError(422, reasons)


def _validate(instance: Model) -> None:
    """Check an instance against the model's own rules and constraints; 422 on a refusal."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise _refused(exc) from exc


class PageOf:
    """A queryset turned into answers one page at a time: the paginator slices it first, so
    a page costs the same few queries however large the club."""

    def __init__(self, queryset: Any, answer: Any) -> None:
        self.queryset, self.answer = queryset, answer

    def all(self) -> "PageOf":
        """Itself (the paginator counts through ``all().count()``)."""
        return self

    def count(self) -> int:
        """How many rows in all pages."""
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[Any]:
        return self.answer(list(self.queryset[page]))


_UNKNOWN: Any = object()


def member_data(
    member: Member,
    request: HttpRequest,
    *,
    own: bool = False,
    viewer: Any = _UNKNOWN,
    ties: frozenset[int] | None = None,
) -> dict[str, Any]:
    """A member as the API shows them to this request's user (``viewer``: theirs, if known)."""
    data: dict[str, Any] = {
        name: getattr(member, name)
        for name in schemas.MemberOut.model_fields
        if name not in {"email", "phone", "linkedin"}
    }
    viewer = _viewer(request) if viewer is _UNKNOWN else viewer
    # ``ties``: the viewer's connections, read once for the whole page.
    if can_see_contact(viewer, member, viewer_is_staff=request.user.is_staff, ties=ties):
        data.update(email=member.email, phone=member.phone, linkedin=member.linkedin)
    if own or request.user.is_staff:
        data.update(seniority=member.seniority, contact_visibility=member.contact_visibility)
    return data


members = Router(tags=["members"])


@members.get("", response=schemas.answers(list[schemas.MemberOut]))
@paginate(Pages)
def list_members(request: HttpRequest, q: Search = "") -> Any:
    """Club members, searchable by name or organisation."""
    found = Member.objects.select_related("organisation").order_by("last_name", "id")
    if q:
        found = found.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    viewer = _viewer(request)  # once per page, not once per member
    ties = (
        frozenset(
            other
            for pair in Connection.objects.filter(
                Q(member_a=viewer) | Q(member_b=viewer)
            ).values_list("member_a", "member_b")
            for other in pair
        )
        if viewer
        else frozenset()
    )
    return PageOf(
        found, lambda page: [member_data(m, request, viewer=viewer, ties=ties) for m in page]
    )


@members.get("/me", response=schemas.answers(schemas.MyProfileOut))
def my_profile(request: HttpRequest) -> dict[str, Any]:
    """The signed-in member's own profile."""
    me = member_required(request)
    return member_data(me, request, own=True)


@members.patch("/me", response=schemas.write_answers(schemas.MyProfileOut))
def edit_my_profile(request: HttpRequest, patch: schemas.ProfilePatch) -> dict[str, Any]:
    """Change fields of one's own profile; fields left out stay as they are."""
    me = member_required(request)
    fields = patch.model_dump(exclude_unset=True)
    if "organisation_id" in fields and fields["organisation_id"] is not None:
        get_object_or_404(Organisation, pk=fields["organisation_id"])
    for name, value in fields.items():
        setattr(me, name, value)
    try:
        me.full_clean(exclude=["user"])
    except ValidationError as exc:
        raise HttpError(
            422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        ) from exc
    update_profile(me, **fields)
    return member_data(me, request, own=True)


@members.get("/me/recommendations", response=schemas.answers(list[schemas.RecommendationOut]))
def my_recommendations(request: HttpRequest, top: int = 10) -> list[dict[str, Any]]:
    """Strangers worth meeting, best first; 422 with what to add when the profile is too thin."""
    me = member_required(request)
    try:
        found = suggestions_for(me, top=max(1, min(top, 50)))
    except IncompleteProfile as incomplete:
        raise HttpError(422, str(incomplete)) from incomplete
    return [
        {
            # Strangers by definition (no tie): their contact details without a query each.
            "member": member_data(s.member, request, viewer=me, ties=frozenset()),
            "score": s.recommendation.score,
            "reason": s.recommendation.reason,
            "icebreakers": list(s.recommendation.icebreakers),
            "introducer_id": s.introducer.pk if s.introducer else None,
        }
        for s in found
    ]


@members.get("/{member_id}", response=schemas.answers(schemas.MemberOut))
def get_member(request: HttpRequest, member_id: int) -> dict[str, Any]:
    """One member's public profile."""
    return member_data(
        get_object_or_404(Member.objects.select_related("organisation"), pk=member_id), request
    )


organisations = Router(tags=["organisations"])


@organisations.get("", response=schemas.answers(list[schemas.OrganisationOut]))
@paginate(Pages)
def list_organisations(request: HttpRequest, q: Search = "") -> Any:
    """The club's organisations."""
    return Organisation.objects.filter(name__icontains=q) if q else Organisation.objects.all()


@organisations.get("/{organisation_id}", response=schemas.answers(schemas.OrganisationOut))
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """One organisation."""
    return get_object_or_404(Organisation, pk=organisation_id)


@organisations.post("", response=schemas.write_answers(schemas.OrganisationOut, status=201))
def create_organisation(request: HttpRequest, data: schemas.OrganisationIn) -> Status[Organisation]:
    """Add an organisation (organisers only); names are unique whatever their case."""
    _require_staff(request)
    try:
        organisation = add_organisation(**data.model_dump())
    except ValidationError as exc:
        raise _refused(exc) from exc
    except IntegrityError as exc:
        raise HttpError(409, "This conflicts with existing data.") from exc
    return Status(201, organisation)


events = Router(tags=["events"])


@events.get("", response=schemas.answers(list[schemas.EventOut]))
@paginate(Pages)
def list_events(request: HttpRequest) -> Any:
    """Every event, soonest first."""
    return Event.objects.all()


@events.get("/{slug}", response=schemas.answers(schemas.EventOut))
def get_event(request: HttpRequest, slug: Slug) -> Event:
    """One event by its short name."""
    return get_object_or_404(Event, slug=slug)


@events.post("", response=schemas.write_answers(schemas.EventOut, status=201))
def create_event(request: HttpRequest, data: schemas.EventIn) -> Status[Event]:
    """Create an event (organisers only)."""
    _require_staff(request)
    try:
        # Whoever creates an event organises it (serendip.events.access).
        event = event_services.create_event(actor=request.user, **data.model_dump())
    except ValidationError as exc:
        raise _refused(exc) from exc
    except IntegrityError as exc:
        raise HttpError(409, "This conflicts with existing data.") from exc
    return Status(201, event)


@events.patch("/{slug}", response=schemas.write_answers(schemas.EventOut))
def edit_event(request: HttpRequest, slug: Slug, patch: schemas.EventPatch) -> Event:
    """Change an event (organisers only); fields left out stay as they are."""
    event = get_object_or_404(Event, slug=slug)
    _require_organiser(request, event)
    try:
        event_services.change_event(
            event, actor=request.user, **patch.model_dump(exclude_unset=True)
        )
    except ValidationError as exc:
        event.refresh_from_db()
        raise _refused(exc) from exc
    return event


def registration_data(
    registration: Registration, request: HttpRequest, *, organises: bool | None = None
) -> dict[str, Any]:
    """A registration; its status and package only for its event's organisers and the member."""
    if organises is None:
        organises = can_organise(request.user, registration.event)
    data: dict[str, Any] = {
        "id": registration.pk,
        "event.slug": registration.event.slug,
        "member_id": registration.member_id,
        "member.full_name": registration.member.full_name,
        "side": registration.side,
    }
    if organises or registration.member.user_id == request.user.pk:
        data.update(
            status=registration.status,
            guaranteed_meetings=registration.guaranteed_meetings,
            representatives=registration.representatives,
        )
    return data


@events.get("/{slug}/registrations", response=schemas.answers(list[schemas.RegistrationOut]))
@paginate(Pages)
def list_registrations(request: HttpRequest, slug: Slug) -> Any:
    """Who is registered to an event; members do not see cancelled registrations."""
    event = get_object_or_404(Event, slug=slug)
    found = event.registrations.select_related("member", "event").order_by("id")
    organises = can_organise(request.user, event)
    if not organises:
        found = found.exclude(status=RegistrationStatus.CANCELLED)
    return PageOf(
        found, lambda page: [registration_data(r, request, organises=organises) for r in page]
    )


@events.post(
    "/{slug}/registrations", response=schemas.write_answers(schemas.RegistrationOut, status=201)
)
def create_registration(
    request: HttpRequest, slug: Slug, data: schemas.RegistrationIn
) -> Status[dict[str, Any]]:
    """Register a member to an event (organisers only)."""
    event = get_object_or_404(Event, slug=slug)
    _require_organiser(request, event)
    member = get_object_or_404(Member, pk=data.member_id)
    registration = Registration(
        event=event, member=member, **data.model_dump(exclude={"member_id"})
    )
    _validate(registration)
    try:
        save_registration(registration, actor=request.user)
    except IntegrityError as exc:
        raise HttpError(409, "This conflicts with existing data.") from exc
    return Status(201, registration_data(registration, request))


registrations = Router(tags=["registrations"])

# What members may answer about their own attendance; the rest is the organisers'.
MEMBER_STATUSES = {RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED}


@registrations.patch("/{registration_id}", response=schemas.write_answers(schemas.RegistrationOut))
def edit_registration(
    request: HttpRequest, registration_id: int, patch: schemas.RegistrationPatch
) -> dict[str, Any]:
    """Organisers change anything; a member may only confirm or cancel their own."""
    registration = get_object_or_404(
        Registration.objects.select_related("member", "event"), pk=registration_id
    )
    fields = patch.model_dump(exclude_unset=True)
    if not can_organise(request.user, registration.event):
        own = registration.member.user_id == request.user.pk
        if not own or set(fields) - {"status"} or fields.get("status") not in MEMBER_STATUSES:
            raise HttpError(403, "Members may only confirm or cancel their own registration.")
        # The member's own answer, with the web's rules: only before the event, never over
        # what the desk recorded (checked in, no-show, left early).
        try:
            answer_coming(
                registration,
                coming=fields["status"] == RegistrationStatus.CONFIRMED,
                actor=request.user,
            )
        except PastIsFrozen as refused:
            raise HttpError(409, str(refused)) from refused
        return registration_data(registration, request)
    for name, value in fields.items():
        setattr(registration, name, value)
    _validate(registration)
    # Through the same use case as the back office and the desk: a cancellation frees the
    # member's rounds (set_attendance), other fields are saved under the event's lock, logged.
    save_registration(registration, actor=request.user)
    return registration_data(registration, request)


api.add_router("/members", members)
api.add_router("", network_router)
api.add_router("", outcomes_router)
api.add_router("", reports_router)
api.add_router("/organisations", organisations)
api.add_router("/events", events)
api.add_router("/registrations", registrations)

# The seminar's, the meals' and the contacts' operations use this module's helpers: mounted last.
from serendip.api import account, contacts, invitations, meals, questions, seminar  # noqa: E402

api.add_router("", seminar.router)
api.add_router("", meals.router)
api.add_router("", contacts.router)
api.add_router("", invitations.router)
api.add_router("", account.router)
api.add_router("", questions.router)
