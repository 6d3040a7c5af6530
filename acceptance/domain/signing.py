"""签字背书: signing a form bound to its canonical content, and voiding what no longer matches.

The canonical content is the form's own fields, its signature slots (the member table) and the
case facts the form states, read from the case at the moment of the check — so a change to the
case is seen by every later check without any copy to keep in sync.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.domain.errors import DomainError
from cases.models import PetitionCase
from org.throttle import check_signing_password

from ..enums import FormKind
from ..models import OpinionForm, Signature, SignatureSlot

# Case facts each form states (附件1 / 附件2); changing one voids the form's signatures.
CASE_FACTS = {
    FormKind.ACCEPTANCE_OPINION: (
        "receipt_no",
        "finding",
        "investigation",
        "handling",
        "accountability",
        "penalty_cases",
        "fine_amount",
        "persons_held_accountable",
        "complainant_accepted",
        "completion_evidence",
    ),
    FormKind.REVIEW_LETTER: (
        "receipt_no",
        "finding",
        "investigation",
        "handling",
        "accountability",
        "penalty_cases",
        "fine_amount",
        "persons_held_accountable",
        "complainant_accepted",
    ),
}
FORM_FIELDS = (
    "form_date",
    "unit_name",
    "accepted_on",
    "reviewed_on",
    "statement",
    "opinion_finding",
    "opinion_rectification",
    "opinion_penalty",
    "opinion_satisfaction",
    "opinion_accountability",
)

VALID, VOID, UNSIGNED = "valid", "void", "unsigned"


def _text(value) -> str:
    return "" if value is None else str(value)


def case_facts(case_ids) -> dict[int, dict]:
    """The stored facts every form kind states, for many cases in one query (case id → facts)."""
    names = sorted({name for fields in CASE_FACTS.values() for name in fields})
    return {
        row.pop("pk"): row for row in PetitionCase.objects.filter(pk__in=list(case_ids)).values("pk", *names)
    }


def canonical_content(form: OpinionForm, *, slots=None, facts: dict | None = None) -> dict:
    """What a signer of ``form`` answers for, as a JSON-able dict of strings.

    ``slots`` (the form's slots with their users) and ``facts`` (the case's row from
    ``case_facts``) may be passed in when many forms are checked at once.
    """
    # The stored facts, not an instance in memory: what was saved is what is signed
    # (an unsaved or stale instance would differ, e.g. 0 vs Decimal("0.00")).
    if facts is None:
        facts = PetitionCase.objects.filter(pk=form.step.case_id).values(*CASE_FACTS[form.kind]).get()
    facts = {name: facts[name] for name in CASE_FACTS[form.kind]}
    if slots is None:
        slots = form.slots.select_related("user")
    return {
        "form": form.kind,
        "case": {name: _text(value) for name, value in facts.items()},
        "fields": {name: _text(getattr(form, name)) for name in FORM_FIELDS},
        "slots": [
            [s.role, s.user_id, s.user.display_name, s.member_unit, s.member_post, s.member_phone]
            for s in slots
        ],
    }


def content_sha256(content: dict) -> str:
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _label(section: str, name: str) -> str:
    if section == "case":
        return "案件“" + str(PetitionCase._meta.get_field(name).verbose_name) + "”"
    if section == "fields":
        return "表单“" + str(OpinionForm._meta.get_field(name).verbose_name) + "”"
    return "验收组成员表"


def describe_changes(old: dict, new: dict) -> str:
    """“案件“是否属实”已变更、…” for the facts that differ between two contents."""
    changed = []
    for section in ("case", "fields"):
        for name in sorted(set(old.get(section, {})) | set(new.get(section, {}))):
            if old.get(section, {}).get(name) != new.get(section, {}).get(name):
                changed.append(_label(section, name))
    if old.get("slots") != new.get("slots"):
        changed.append(_label("slots", ""))
    return "签字后内容已变更：" + "、".join(changed or ["表单内容"]) + "，签字失效，须重新签字。"


@dataclass
class SlotCheck:
    slot: SignatureSlot
    signature: Signature | None  # the valid one, else the latest void one
    status: str  # VALID / VOID / UNSIGNED


@dataclass
class FormCheck:
    sha256: str
    slots: list[SlotCheck]

    @property
    def all_valid(self) -> bool:
        return bool(self.slots) and all(s.status == VALID for s in self.slots)

    @property
    def any_void(self) -> bool:
        return any(s.status == VOID for s in self.slots)

    @property
    def frozen(self) -> bool:
        return any(s.status == VALID for s in self.slots)


def _record_void(signature_id: int, *, actor=None) -> None:
    """QuerySet.update() bypasses simple-history; a save of the fresh row records the voiding.

    Without ``actor`` the history user is the person of the current request (simple-history's
    middleware: whoever's edit or page load found the change), or none for a scheduled scan.
    """
    fresh = Signature.objects.get(pk=signature_id)
    if actor is not None:
        fresh._history_user = actor
    fresh._change_reason = ("签字失效：" + fresh.void_reason)[:100]
    fresh.save()


def verify_signatures(
    form: OpinionForm, *, now=None, slots=None, facts: dict | None = None, actor=None
) -> FormCheck:
    """Compare every valid signature with the form's current content; void those that differ.

    Voiding is a conditional update (void=False → True), so two pages checking at once void a
    signature once. Returns each slot's state for the form page. A scan over many forms passes
    ``slots`` (with users and signatures prefetched) and ``facts`` (``case_facts``) so that
    checking a form runs no query.
    """
    now = now or timezone.now()
    if slots is None:
        slots = list(form.slots.select_related("user").prefetch_related("signatures__signer"))
    content = canonical_content(form, slots=slots, facts=facts)
    sha = content_sha256(content)
    checks = []
    for slot in slots:
        sigs = sorted(slot.signatures.all(), key=lambda s: (s.signed_at, s.pk))
        valid = next((s for s in sigs if not s.void), None)
        if valid is not None and valid.content_sha256 != sha:
            reason = describe_changes(valid.content, content)
            voided = Signature.objects.filter(pk=valid.pk, void=False).update(
                void=True, void_reason=reason, voided_at=now
            )
            if voided:
                _record_void(valid.pk, actor=actor)
            valid.void, valid.void_reason, valid.voided_at = True, reason, now
            valid = None
        if valid is not None:
            checks.append(SlotCheck(slot, valid, VALID))
        elif sigs:
            checks.append(SlotCheck(slot, sigs[-1], VOID))
        else:
            checks.append(SlotCheck(slot, None, UNSIGNED))
    return FormCheck(sha, checks)


def void_changed_signatures(case: PetitionCase, *, actor=None) -> int:
    """Check every form of the case now (called when the case is edited); returns how many voided."""
    before = Signature.objects.filter(slot__form__step__case=case, void=False).count()
    for form in OpinionForm.objects.filter(step__case=case).select_related("step"):
        verify_signatures(form, actor=actor)
    return before - Signature.objects.filter(slot__form__step__case=case, void=False).count()


def sign(slot: SignatureSlot, *, actor, password: str, now=None, request=None) -> Signature:
    """Sign ``slot`` as ``actor`` after re-checking the password; binds the SHA-256 of the content.

    Refuses another person, a wrong password, a slot already validly signed, and a form whose
    step is finished unless it is a re-signature of a voided slot.
    """
    if slot.user_id != actor.pk:
        raise DomainError("只有指定的签字人本人才能签署此栏。")
    check_signing_password(actor, password, request)  # throttled like the login (org.throttle)
    form = slot.form
    with transaction.atomic():
        check = verify_signatures(form, now=now, actor=actor)
        mine = next(c for c in check.slots if c.slot.pk == slot.pk)
        if mine.status == VALID:
            raise DomainError("此栏您已签字，无需重复签字。")
        if not form.step.is_open and mine.status != VOID:
            raise DomainError("该环节已办结，不能再签字。")
        content = canonical_content(form)
        try:
            with transaction.atomic():
                return Signature.objects.create(
                    slot=slot,
                    signer=actor,
                    signed_at=now or timezone.now(),
                    content_sha256=content_sha256(content),
                    content=content,
                )
        except IntegrityError:
            raise DomainError("此栏您已签字，无需重复签字。") from None
