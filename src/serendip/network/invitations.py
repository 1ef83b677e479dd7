"""The network feeds itself: members invite people, organisers approve, the inviter hears
when they join, and the new member's profile says who brought them in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serendip import mail
from serendip.members.models import Member
from serendip.members.services import bulk_create_members
from serendip.network.models import Invitation
from serendip.network.notifications import notify


class InvitationRefused(Exception):
    """An invitation that cannot be sent; the message says why."""


@transaction.atomic
def invite(inviter: Member, *, email: str, name: str, note: str) -> Invitation:
    """Ask the organisers to invite someone; refused if they are already invited.

    An address that already belongs to a member is taken like any other: telling the inviter
    would reveal the membership (and the email) of someone who may keep them hidden. The
    organisers see it when they decide, and approving it creates nobody.
    """
    email = email.strip().lower()
    if Invitation.objects.filter(email__iexact=email, status=Invitation.Status.PENDING).exists():
        raise InvitationRefused(_("%(email)s is already invited.") % {"email": email})
    return Invitation.objects.create(inviter=inviter, email=email, name=name, note=note)


@transaction.atomic
def decide(invitation: Invitation, *, approve: bool, by: User) -> Invitation:
    """Approve (the person gets an account and a link to choose a password) or decline.

    Raises InvitationRefused when it was already decided, or when approving someone who is
    already a member (the organiser declines it instead).
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationRefused(_("This invitation was already decided."))
    invitation.decided_by = by
    if not approve:
        invitation.status = Invitation.Status.DECLINED
        invitation.save()
        return invitation
    first, _space, last = invitation.name.partition(" ")
    if Member.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationRefused(_("%(email)s is already a member.") % {"email": invitation.email})
    (member,) = bulk_create_members(
        [
            {
                "email": invitation.email,
                "first_name": first or invitation.name,
                "last_name": last,
                "language": invitation.inviter.language,
            }
        ],
        password_hash=make_password(None),
    )
    # Unusable until they choose one through the emailed link, and random: the password field
    # feeds the reset token, so a constant would let anyone who knows the key forge it.
    member.user.set_unusable_password()
    member.user.save(update_fields=["password"])
    invitation.member = member
    invitation.status = Invitation.Status.APPROVED
    invitation.save()
    transaction.on_commit(lambda: _welcome(invitation))
    return invitation


def _welcome(invitation: Invitation) -> None:
    """The invitee's email: the inviter's note and a link to choose a password."""
    member = invitation.member
    assert member is not None
    context = {
        "inviter": invitation.inviter,
        "note": invitation.note,
        "url": settings.SERENDIP_SITE_URL + "/accounts/password_reset/",
    }
    mail.letter(
        "network/email/invitation", context, to=member.email, language=member.language
    ).send()


def joined(user: User) -> None:
    """On a first sign-in: the invitation is fulfilled and the inviter is told."""
    invitation = (
        Invitation.objects.filter(member__user=user, status=Invitation.Status.APPROVED)
        .select_related("inviter", "member")
        .first()
    )
    if invitation is None:
        return
    invitation.status = Invitation.Status.JOINED
    invitation.save(update_fields=["status"])
    assert invitation.member is not None
    notify(
        invitation.inviter,
        gettext_lazy("%(name)s, whom you invited, has joined the club."),
        invitation.member.get_absolute_url(),
        name=invitation.member.full_name,
    )
