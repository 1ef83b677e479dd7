"""The network pages: asks and offers, introductions, the ledger, thanks, invitations,
contacts and notifications. Every page shows the signed-in member their own things only."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from serendip.members.access import can_see_contact_of_a_connection
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.network import digest
from serendip.network.access import can_see_ask, is_asker, is_connection, takes_part_in
from serendip.network.asks import (
    add_offer,
    asks_i_could_help,
    close_ask,
    create_ask,
    helpers_for,
    matching_offers,
    offer_help,
    visible_asks,
    withdraw_offer,
)
from serendip.network.introductions import (
    IntroductionRefused,
    answer_introduction,
    contacts_shared,
    introductions_of,
    propose_introduction,
    request_introduction,
)
from serendip.network.invitations import InvitationRefused, decide, invite
from serendip.network.ledger import ledger_of, record_help, thank_yous_for
from serendip.network.models import (
    Answer,
    Ask,
    ContactNote,
    DigestKind,
    FollowUp,
    Introduction,
    IntroductionState,
    Invitation,
    Offer,
)
from serendip.network.notifications import mark_all_read
from serendip.network.relationships import (
    NotAContact,
    add_note,
    contacts_csv,
    contacts_of,
    contacts_vcard,
    follow_up_done,
    follow_ups_due,
    reconnect_suggestions,
    set_cadence,
)
from serendip.web.access import AuthenticatedHttpRequest, club_organiser_required
from serendip.web.network_forms import (
    AskForm,
    CadenceForm,
    GratitudeForm,
    IntroduceForm,
    InviteForm,
    NoteForm,
    OfferForm,
    ProposeForm,
)
from serendip.web.posted import posted_int


def me(request: HttpRequest) -> Member:
    """The signed-in member; a 403 that says so for an account without a profile."""
    return member_required(request)


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """Between events: notifications, follow-ups, introductions waiting, asks to help with."""
    member = me(request)
    if request.method == "POST":
        mark_all_read(member)
        return redirect("network")
    waiting = [
        i
        for i in introductions_of(member).filter(state=IntroductionState.PROPOSED)
        if (i.seeker_id == member.pk and i.seeker_answer == Answer.PENDING)
        or (i.helper_id == member.pk and i.helper_answer == Answer.PENDING)
    ]
    requested = introductions_of(member).filter(
        state=IntroductionState.REQUESTED, introducer=member
    )
    return render(
        request,
        "network/hub.html",
        {
            "notifications": member.notifications.all()[:20],
            "unread": member.notifications.filter(read__isnull=True).count(),
            "follow_ups": follow_ups_due(member),
            "reconnect": reconnect_suggestions(member),
            "waiting": waiting,
            "requested": requested,
            "could_help": asks_i_could_help(member),
        },
    )


@login_required
def asks(request: HttpRequest) -> HttpResponse:
    """The asks the member may see, and a form to ask."""
    member = me(request)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ask = create_ask(member, **form.cleaned_data)
        messages.success(request, _("Your ask is posted. Here is who can help."))
        return redirect(ask)
    return render(request, "network/asks.html", {"form": form, "asks": visible_asks(member)})


@login_required
def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One ask: who can help (and through whom), matching offers, "I can help"."""
    member = me(request)
    ask = get_object_or_404(Ask.objects.select_related("member"), pk=pk)
    if not can_see_ask(member, ask):
        raise Http404("not visible to you")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "close" and close_ask(ask, member=member):
            messages.success(request, _("The ask is closed."))
        elif action == "introduce" and is_asker(member, ask):
            helper = get_object_or_404(Member, pk=posted_int(request, "helper"))
            introducer = get_object_or_404(Member, pk=posted_int(request, "introducer"))
            try:
                request_introduction(member, helper=helper, introducer=introducer, ask=ask)
            except IntroductionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _("%(name)s is asked to introduce you.") % {"name": introducer.full_name},
                )
        elif action == "help" and not is_asker(member, ask):
            offer_help(ask, helper=member)
            messages.success(request, _("%(name)s is told.") % {"name": ask.member.full_name})
        return redirect(ask)
    mine = is_asker(member, ask)
    return render(
        request,
        "network/ask_detail.html",
        {
            "ask": ask,
            "mine": mine,
            "helpers": helpers_for(ask) if mine else [],
            "offers": matching_offers(ask, member),
        },
    )


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    """What the member can give: list, add, withdraw."""
    member = me(request)
    form = OfferForm(request.POST if "add" in request.POST else None)
    if request.method == "POST":
        if "withdraw" in request.POST:
            withdraw_offer(member, offer_id=posted_int(request, "withdraw"))
            return redirect("offers")
        if form.is_valid():
            add_offer(member, **form.cleaned_data)
            messages.success(request, _("Your offer is listed."))
            return redirect("offers")
    return render(
        request,
        "network/offers.html",
        {"form": form, "offers": Offer.objects.filter(member=member, active=True)},
    )


@login_required
def introductions(request: HttpRequest) -> HttpResponse:
    """The member's introductions, and a form to introduce two connections."""
    member = me(request)
    form = IntroduceForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = propose_introduction(member, **form.cleaned_data)
        except IntroductionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your introduction is sent to both."))
            return redirect(introduction)
    return render(
        request,
        "network/introductions.html",
        {"form": form, "introductions": introductions_of(member)},
    )


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One introduction: its timeline, the answers, and contact details once both said yes."""
    member = me(request)
    introduction = get_object_or_404(
        Introduction.objects.select_related("introducer", "seeker", "helper", "ask"), pk=pk
    )
    if not takes_part_in(member, introduction):
        raise Http404("not your introduction")
    form = ProposeForm(request.POST if "propose" in request.POST else None)
    if request.method == "POST":
        try:
            if "propose" in request.POST and form.is_valid():
                propose_introduction(
                    member,
                    seeker=introduction.seeker,
                    helper=introduction.helper,
                    note=form.cleaned_data["note"],
                    requested=introduction,
                )
                messages.success(request, _("Your introduction is sent to both."))
                return redirect(introduction)
            if request.POST.get("answer") in ("yes", "no"):
                answer_introduction(introduction, member, yes=request.POST["answer"] == "yes")
                messages.success(request, _("Your answer is recorded."))
                return redirect(introduction)
        except IntroductionRefused as refused:
            messages.error(request, str(refused))
            return redirect(introduction)
    other = None
    if member.pk in (introduction.seeker_id, introduction.helper_id):
        other = introduction.helper if member.pk == introduction.seeker_id else introduction.seeker
    mine = (
        introduction.seeker_answer
        if member.pk == introduction.seeker_id
        else introduction.helper_answer
        if member.pk == introduction.helper_id
        else None
    )
    return render(
        request,
        "network/introduction_detail.html",
        {
            "introduction": introduction,
            "form": form,
            "other": other,
            "my_answer": mine,
            "shared": contacts_shared(introduction),
            "steps": introduction.steps.select_related("actor"),
        },
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """My gratitude ledger (only I see it) and asks I could pass the help on to."""
    member = me(request)
    form = GratitudeForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_help(member, **form.cleaned_data)
        messages.success(request, _("Written in your ledger."))
        return redirect("ledger")
    return render(
        request,
        "network/ledger.html",
        {"form": form, "entries": ledger_of(member), "could_help": asks_i_could_help(member)},
    )


@login_required
def thanks(request: HttpRequest) -> HttpResponse:
    """The thank-you notes others sent me: no count, no tally."""
    return render(request, "network/thanks.html", {"notes": thank_yous_for(me(request))})


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Invite someone to the club; see what became of my invitations."""
    member = me(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite(member, **form.cleaned_data)
        except InvitationRefused as refused:
            form.add_error("email", str(refused))
        else:
            messages.success(request, _("Thank you: an organiser will send your invitation."))
            return redirect("invitations")
    return render(
        request,
        "network/invitations.html",
        {"form": form, "invitations": member.invitations.all()},
    )


@club_organiser_required
def organise_invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Organisers approve or decline the members' invitations."""
    if request.method == "POST":
        invitation = get_object_or_404(Invitation, pk=posted_int(request, "invitation"))
        try:
            decide(invitation, approve=request.POST.get("approve") == "1", by=request.user)
        except InvitationRefused as refused:
            messages.error(request, str(refused))
        return redirect("organise-invitations")
    return render(
        request,
        "network/organise_invitations.html",
        {
            # An address that already belongs to a member is flagged for the organiser only.
            "invitations": Invitation.objects.select_related("inviter", "member").annotate(
                already_member=Exists(Member.objects.filter(email__iexact=OuterRef("email")))
            )[:200]
        },
    )


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """My connections by tie strength, follow-ups due, ties going cold, exports."""
    member = me(request)
    if request.method == "POST" and "done" in request.POST:
        follow_up = get_object_or_404(FollowUp, pk=posted_int(request, "done"), rule__owner=member)
        follow_up_done(follow_up)
        return redirect("contacts")
    return render(
        request,
        "network/contacts.html",
        {
            "contacts": contacts_of(member),
            "due": follow_ups_due(member),
            "reconnect": reconnect_suggestions(member),
        },
    )


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One connection: my private notes and my keep-in-touch cadence."""
    member = me(request)
    contact = get_object_or_404(Member, pk=pk)
    cadence = CadenceForm(request.POST if "cadence" in request.POST else None)
    note = NoteForm(request.POST if "note" in request.POST else None)
    try:
        if "cadence" in request.POST and cadence.is_valid():
            set_cadence(member, contact, cadence.cleaned_data["every_days"])
            messages.success(request, _("Noted: you will be reminded."))
            return redirect("contact-detail", pk=pk)
        if "note" in request.POST and note.is_valid():
            add_note(member, contact, note.cleaned_data["text"])
            return redirect("contact-detail", pk=pk)
    except NotAContact:
        raise Http404("not a connection") from None
    if not is_connection(member, contact):
        raise Http404("not a connection")
    return render(
        request,
        "network/contact_detail.html",
        {
            "contact": contact,
            "cadence": cadence,
            "note": note,
            "notes": ContactNote.objects.filter(owner=member, contact=contact),
        },
    )


@login_required
def contacts_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """My connections as vCard or CSV; contact details only where their owner allows."""
    member = me(request)
    if fmt not in ("vcf", "csv"):
        raise Http404("unknown format")
    # The export lists connections only: no query per person.
    visible = partial(can_see_contact_of_a_connection, viewer_is_staff=request.user.is_staff)
    if fmt == "vcf":
        response = HttpResponse(contacts_vcard(member, visible=visible), content_type="text/vcard")
    else:
        response = HttpResponse(contacts_csv(member, visible=visible), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="contacts.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From a digest email, no sign-in needed: the link asks, the button unsubscribes.

    Opening the link changes nothing, since mail scanners and link previews open every link
    of a message; only the confirmation's POST stops that kind of section.
    """
    try:
        if request.method == "POST":
            _member, kind = digest.unsubscribe(token)
        else:
            _member, kind = digest.read_unsubscribe_token(token)
    except (signing.BadSignature, Member.DoesNotExist, ValueError):
        raise Http404("bad link") from None
    template = (
        "network/unsubscribed.html" if request.method == "POST" else "network/unsubscribe.html"
    )
    return render(request, template, {"label": DigestKind(kind).label})
