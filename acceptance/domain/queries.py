"""Reads of the chain that views, commands and scans share; each starts from the user's scope.

- office/admin and the read-all roles (discipline, leadership) see every step and form;
- unit users see the steps and forms of their units' cases;
- acceptance and review members see the forms they are assigned to sign (and their steps), and
  read (never edit) every other form of those cases: a reviewer reviews the acceptance, so the
  review letter's signers read that case's 验收意见 — the same opinions the summary sheet shows them.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.domain.queries import cases_visible_to
from org.permissions import access_of

from ..enums import StepOutcome
from ..models import OpinionForm, Signature, SignatureSlot, Step


def forms_visible_to(user) -> QuerySet:
    qs = OpinionForm.objects.all()
    if access_of(user).reads_all:
        return qs
    # Assigned to sign any form of the case: read all its forms (edits and signing stay with the
    # slot's own signer and the office, services.update_form / signing.sign).
    assigned = SignatureSlot.objects.filter(form__step__case=OuterRef("step__case"), user=user)
    return qs.filter(Q(step__case__in=cases_visible_to(user).values("pk")) | Q(Exists(assigned)))


def steps_visible_to(user) -> QuerySet:
    qs = Step.objects.all()
    if access_of(user).reads_all:
        return qs
    assigned = SignatureSlot.objects.filter(form__step__case=OuterRef("case"), user=user)
    return qs.filter(Q(case__in=cases_visible_to(user).values("pk")) | Q(Exists(assigned)))


def chain_cases_visible_to(user) -> QuerySet:
    """The cases whose chain the user may open: their scope, plus cases they sign forms for."""
    from cases.models import PetitionCase

    if access_of(user).reads_all:
        return PetitionCase.objects.all()
    assigned = SignatureSlot.objects.filter(form__step__case=OuterRef("pk"), user=user)
    return PetitionCase.objects.filter(Q(pk__in=cases_visible_to(user).values("pk")) | Q(Exists(assigned)))


def waiting_for_signature(user) -> QuerySet:
    """Slots assigned to the user that still need their signature, oldest step first.

    A slot waits when it has no valid signature and its step is open — or its last signature
    was voided (the chain restarts at that step, whatever the step's outcome).
    """
    valid = Signature.objects.filter(slot=OuterRef("pk"), void=False)
    voided = Signature.objects.filter(slot=OuterRef("pk"), void=True)
    return (
        SignatureSlot.objects.filter(user=user)
        .filter(~Q(Exists(valid)))
        .filter(Q(form__step__outcome=StepOutcome.PENDING) | Q(Exists(voided)))
        .select_related("form__step__case__inspection")
        .order_by("form__step__starts_on", "created_at", "pk")
    )


def chain_overview(qs: QuerySet) -> QuerySet:
    """Steps for the overview table, fetched in a fixed number of queries (newest first; the
    overview's ?sort= replaces the order, acceptance/sorting.py)."""
    return qs.select_related("case__inspection", "form").order_by("-starts_on", "case_id", "round", "pk")


# --- to-do lists (acceptance.domain.todo; the index's ?todo= filters) ---------------------------


def steps_i_take_part_in(user) -> QuerySet:
    """Open steps whose form has a signature slot of the user (what a member takes part in)."""
    return Step.objects.filter(outcome=StepOutcome.PENDING, form__slots__user=user).distinct()


def steps_without_signers() -> QuerySet:
    """待指定签字人: open acceptance or review steps whose form has no signature slot yet."""
    return Step.objects.filter(outcome=StepOutcome.PENDING, form__isnull=False).exclude(
        Exists(SignatureSlot.objects.filter(form__step=OuterRef("pk")))
    )
