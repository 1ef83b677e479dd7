"""The activity log in the reader's language: each action's sentence, filled from its params.

A line of the log stores its action code and structured parameters (numbers, names as they
were, codes); the sentence is chosen and translated when the page is rendered, so an
organiser reading in French sees French and one reading in English sees English, whatever
language the writer used. Lines written before parameters existed show their stored text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The action codes in words (also for old lines, which keep their English details).
ACTION_LABELS: dict[str, Any] = {
    "rounds": _("Rounds"),
    "setup": _("Set-up"),
    "packages": _("Sponsor packages"),
    "attendance": _("Attendance"),
    "plan requested": pgettext_lazy("activity", "Planning asked"),
    "plan": pgettext_lazy("activity", "Planned"),
    "plan failed": pgettext_lazy("activity", "Planning failed"),
    "replan": pgettext_lazy("activity", "Re-planned"),
    "place": pgettext_lazy("activity", "Meeting placed"),
    "remove": pgettext_lazy("activity", "Meeting removed"),
    "publish": pgettext_lazy("activity", "Published"),
    "letters": pgettext_lazy("activity", "Day-before letters"),
    "pair rule": pgettext_lazy("activity", "Pair rule"),
    "pair rule removed": pgettext_lazy("activity", "Pair rule removed"),
    "import": pgettext_lazy("activity", "Registrations imported"),
    "meal": pgettext_lazy("activity", "Meal"),
    "meal plan": pgettext_lazy("activity", "Meal seated"),
    "meal plan requested": pgettext_lazy("activity", "Meal seating asked"),
    "meal plan failed": pgettext_lazy("activity", "Meal seating failed"),
    "member-erased": pgettext_lazy("activity", "Member erased"),
    "registration": pgettext_lazy("activity", "Registration"),
    "event": pgettext_lazy("activity", "Event"),
}


def _rounds(p: Mapping[str, Any]) -> str:
    sessions = ngettext("%(n)s session", "%(n)s sessions", p["sessions"]) % {"n": p["sessions"]}
    rounds = ngettext(
        "%(n)s round per session", "%(n)s rounds per session", p["rounds_per_session"]
    ) % {"n": p["rounds_per_session"]}
    sentence = gettext(
        "%(sessions)s, %(rounds)s, %(minutes)s min each (+%(changeover)s min changeover)"
    )
    return sentence % {
        "sessions": sessions,
        "rounds": rounds,
        "minutes": p["minutes"],
        "changeover": p["changeover"],
    }


def _attendance(p: Mapping[str, Any]) -> str:
    from serendip.events.models import RegistrationStatus

    status = str(RegistrationStatus(p["status"]).label)
    text = gettext("%(member)s: %(status)s") % {"member": p["member"], "status": status}
    if p.get("after_round"):
        text += " " + gettext("after round %(n)s") % {"n": p["after_round"]}
    if p.get("freed"):
        text += ", " + ngettext("%(n)s meeting freed", "%(n)s meetings freed", p["freed"]) % {
            "n": p["freed"]
        }
    return text


def _plan(p: Mapping[str, Any]) -> str:
    meetings = ngettext("%(n)s meeting", "%(n)s meetings", p["meetings"]) % {"n": p["meetings"]}
    below = ngettext(
        "%(n)s person below their minimum", "%(n)s people below their minimum", p["below_min"]
    ) % {"n": p["below_min"]}
    return gettext("%(meetings)s, value %(value)s of at most %(bound)s, %(below)s") % {
        "meetings": meetings,
        "value": p["value"],
        "bound": p["bound"],
        "below": below,
    }


def _replan(p: Mapping[str, Any]) -> str:
    moved = ngettext("%(n)s meeting moved", "%(n)s meetings moved", p["moved"]) % {"n": p["moved"]}
    affected = ngettext("%(n)s person affected", "%(n)s people affected", p["affected"]) % {
        "n": p["affected"]
    }
    return gettext("from round %(n)s: %(moved)s, %(affected)s") % {
        "n": p["from_round"],
        "moved": moved,
        "affected": affected,
    }


def _meeting(p: Mapping[str, Any]) -> str:
    return gettext("round %(round)s, table %(table)s: %(boss)s / %(sponsor)s") % p


def _publish(p: Mapping[str, Any]) -> str:
    return ngettext("%(n)s meeting", "%(n)s meetings", p["meetings"]) % {"n": p["meetings"]}


def _letters(p: Mapping[str, Any]) -> str:
    return ngettext("%(n)s day-before letter sent", "%(n)s day-before letters sent", p["sent"]) % {
        "n": p["sent"]
    }


def _pair_rule(p: Mapping[str, Any]) -> str:
    from serendip.programme.models import PairRule

    rule = p["rule"]
    label = str(PairRule.Rule(rule).label) if rule in PairRule.Rule.values else gettext("no rule")
    return gettext("%(boss)s / %(sponsor)s: %(rule)s") % {
        "boss": p["boss"],
        "sponsor": p["sponsor"],
        "rule": label,
    }


def _import(p: Mapping[str, Any]) -> str:
    return gettext("%(created)s added, %(updated)s updated") % p


def _packages(p: Mapping[str, Any]) -> str:
    each = gettext(
        "%(member)s: %(guaranteed)s guaranteed meetings, %(representatives)s representatives"
    )
    return ", ".join(each % change for change in p["changes"])


def _meal(p: Mapping[str, Any]) -> str:
    tables = ngettext("%(n)s table", "%(n)s tables", p["tables"]) % {"n": p["tables"]}
    rotations = ngettext("%(n)s rotation", "%(n)s rotations", p["rotations"]) % {
        "n": p["rotations"]
    }
    return f"{p['meal']}: {tables}, {rotations}"


def _meal_plan(p: Mapping[str, Any]) -> str:
    new_pairs = ngettext(
        "%(n)s new pair of at most %(bound)s",
        "%(n)s new pairs of at most %(bound)s",
        p["new_pairs"],
    ) % {"n": p["new_pairs"], "bound": p["bound"]}
    together = ngettext(
        "%(n)s green pair together", "%(n)s green pairs together", p["together"]
    ) % {"n": p["together"]}
    return f"{p['meal']}: {new_pairs}, {together}"


def _meal_name(p: Mapping[str, Any]) -> str:
    return str(p["meal"])


def _meal_plan_failed(p: Mapping[str, Any]) -> str:
    return f"{p['meal']}: {p['reason']}"


def _plan_requested(p: Mapping[str, Any]) -> str:
    # A re-plan asked from a chosen round says which; a planning run of the whole says nothing.
    if p.get("from_round") is None:
        return ""
    return gettext("re-planning from round %(n)s") % {"n": p["from_round"]}


def _plan_failed(p: Mapping[str, Any]) -> str:
    return str(p.get("reason", ""))


def _event(p: Mapping[str, Any]) -> str:
    from serendip.events.models import Event

    if p.get("change") == "created":
        return gettext("%(name)s created") % {"name": p.get("name", "")}
    known = {f.name: f for f in Event._meta.get_fields()}
    fields = [
        str(getattr(known[name], "verbose_name", name)) if name in known else name
        for name in p.get("fields", [])
    ]
    return gettext("changed: %(fields)s") % {"fields": ", ".join(fields)}


def _setup(p: Mapping[str, Any]) -> str:
    return gettext("tables and minimums saved")


def _erased(p: Mapping[str, Any]) -> str:
    return str(p.get("name", ""))


def _registration(p: Mapping[str, Any]) -> str:
    from serendip.members.choices import Side

    side = str(Side(p["side"]).label) if p["side"] in Side.values else p["side"]
    if p["change"] == "added":
        return gettext("%(member)s registered as %(side)s") % {"member": p["member"], "side": side}
    if p["change"] == "removed":
        return gettext("%(member)s: registration removed") % {"member": p["member"]}
    return gettext(
        "%(member)s: %(side)s, %(guaranteed)s guaranteed meetings, "
        "%(representatives)s representatives"
    ) % {**p, "side": side}


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "rounds": _rounds,
    "attendance": _attendance,
    "plan requested": _plan_requested,
    "plan": _plan,
    "replan": _replan,
    "place": _meeting,
    "remove": _meeting,
    "publish": _publish,
    "letters": _letters,
    "pair rule": _pair_rule,
    "pair rule removed": _pair_rule,
    "import": _import,
    "packages": _packages,
    "meal": _meal,
    "meal plan": _meal_plan,
    "meal plan requested": _meal_name,
    "meal plan failed": _meal_plan_failed,
    "plan failed": _plan_failed,
    "setup": _setup,
    "member-erased": _erased,
    "registration": _registration,
    "event": _event,
}

# Actions whose line says all there is without any parameter.
WITHOUT_PARAMS = {"setup", "plan requested"}


def action_label(action: str) -> str:
    """The action in the reader's words (the code itself for an action nobody named)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def details_of(action: str, params: Mapping[str, Any] | None, details: str) -> str:
    """What happened, in the reader's language; the stored text for lines without params."""
    render = SENTENCES.get(action)
    if render is not None and (params or action in WITHOUT_PARAMS):
        try:
            return render(params or {})
        except (KeyError, TypeError, ValueError):
            # A line written by an older version with other params: its own words stand.
            return details
    return details


def sentence(action: str, params: Mapping[str, Any] | None, details: str) -> str:
    """The whole line: the action in words, then what happened."""
    what = details_of(action, params, details)
    label = action_label(action)
    if not what:
        return label
    return gettext("%(action)s: %(details)s") % {"action": label, "details": what}
