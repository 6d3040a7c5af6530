"""签字背书: signing a complete form, bound to its canonical content; voiding inside the write that
changed a signed fact.

The canonical content is what a signer answers for: the form's own fields and checklist, the case
facts the form states (read from the case), and its signature slots — each named by the signer's
user id and the slot's unit id, post and phone, never by how a name is displayed, so renaming a
person changes nothing that was signed.

Reading is read-only: ``verify_signatures`` compares and reports, and never writes. A signature is
voided only by ``void_changed_signatures``, which the write that changed a fact calls inside its own
transaction with its actor and reason (cases.domain.hooks, registered in acceptance.apps).
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.domain.errors import DomainError
from cases.models import PetitionCase
from org import throttle

from ..enums import FormKind
from ..models import OpinionForm, Signature, SignatureSlot
from .rules import CATEGORY_POINTS, REVIEW_PRINCIPLES, missing_for_signing

CONTENT_VERSION = 2

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
        "acceptance_category",
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

# CHANGED: a signature the database still holds as valid whose content no longer matches — only a
# write outside the domain (a raw edit) can leave one; shown as not valid, voided by the next write.
VALID, VOID, UNSIGNED, CHANGED = "valid", "void", "unsigned", "changed"


def _text(value) -> str:
    return "" if value is None else str(value)


def case_facts(case_ids) -> dict[int, dict]:
    """The stored facts every form kind states, for many cases in one query (case id → facts)."""
    names = sorted({name for fields in CASE_FACTS.values() for name in fields})
    return {
        row.pop("pk"): row for row in PetitionCase.objects.filter(pk__in=list(case_ids)).values("pk", *names)
    }


def _checklist(form: OpinionForm, facts: dict) -> list[list]:
    if form.kind == FormKind.REVIEW_LETTER:
        points = REVIEW_PRINCIPLES
    else:
        points = CATEGORY_POINTS.get(facts.get("acceptance_category") or "", [])
    rows = []
    for code, _point in points:
        entry = form.checklist.get(code) or {}
        met = entry.get("met")
        rows.append([code, met if met in (True, False) else None, _text(entry.get("note", ""))])
    return rows


def canonical_content(form: OpinionForm, *, slots=None, facts: dict | None = None) -> dict:
    """What a signer of ``form`` answers for, as a JSON-able dict.

    ``slots`` (the form's slots) and ``facts`` (the case's row from ``case_facts``) may be passed in
    when many forms are checked at once.
    """
    # The stored facts, not an instance in memory: what was saved is what is signed
    # (an unsaved or stale instance would differ, e.g. 0 vs Decimal("0.00")).
    if facts is None:
        facts = PetitionCase.objects.filter(pk=form.step.case_id).values(*CASE_FACTS[form.kind]).get()
    stated = {name: facts[name] for name in CASE_FACTS[form.kind]}
    if slots is None:
        slots = form.slots.all()
    return {
        "v": CONTENT_VERSION,
        "form": form.kind,
        "case": {name: _text(value) for name, value in stated.items()},
        "fields": {name: _text(getattr(form, name)) for name in FORM_FIELDS},
        "checklist": _checklist(form, facts),
        "slots": [[s.role, s.user_id, s.unit_id, s.member_post, s.member_phone] for s in slots],
    }


def content_sha256(content: dict) -> str:
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _label(section: str, name: str) -> str:
    if section == "case":
        return "案件“" + str(PetitionCase._meta.get_field(name).verbose_name) + "”"
    if section == "fields":
        return "表单“" + str(OpinionForm._meta.get_field(name).verbose_name) + "”"
    if section == "checklist":
        return "逐项核对"
    return "签字人及其单位、职务、电话"


def describe_changes(old: dict, new: dict) -> str:
    """“案件“是否属实”、…” for the facts that differ between two contents."""
    changed = []
    for section in ("case", "fields"):
        for name in sorted(set(old.get(section, {})) | set(new.get(section, {}))):
            if old.get(section, {}).get(name) != new.get(section, {}).get(name):
                changed.append(_label(section, name))
    for section in ("checklist", "slots"):
        if old.get(section) != new.get(section):
            changed.append(_label(section, ""))
    return "、".join(changed or ["表单内容"])


@dataclass
class SlotCheck:
    slot: SignatureSlot
    signature: Signature | None  # the valid one, else the latest void one
    status: str  # VALID / CHANGED / VOID / UNSIGNED


@dataclass
class FormCheck:
    sha256: str
    content: dict
    slots: list[SlotCheck]

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]

    @property
    def all_valid(self) -> bool:
        return bool(self.slots) and all(s.status == VALID for s in self.slots)

    @property
    def any_void(self) -> bool:
        return any(s.status in (VOID, CHANGED) for s in self.slots)

    @property
    def frozen(self) -> bool:
        return any(s.status == VALID for s in self.slots)


def _slots_of(form: OpinionForm) -> list[SignatureSlot]:
    return list(
        form.slots.select_related("user", "unit")
        .prefetch_related("unit__tags", "signatures__signer")
        .order_by("order", "id")
    )


def verify_signatures(form: OpinionForm, *, slots=None, facts: dict | None = None) -> FormCheck:
    """Each slot's state against the form's current content. Read-only: writes nothing.

    A scan over many forms passes ``slots`` (with signatures prefetched) and ``facts``
    (``case_facts``) so that checking a form runs no query.
    """
    if slots is None:
        slots = _slots_of(form)
    content = canonical_content(form, slots=slots, facts=facts)
    sha = content_sha256(content)
    checks = []
    for slot in slots:
        sigs = sorted(slot.signatures.all(), key=lambda s: (s.signed_at, s.pk))
        valid = next((s for s in sigs if not s.void), None)
        if valid is not None:
            checks.append(SlotCheck(slot, valid, VALID if valid.content_sha256 == sha else CHANGED))
        elif sigs:
            checks.append(SlotCheck(slot, sigs[-1], VOID))
        else:
            checks.append(SlotCheck(slot, None, UNSIGNED))
    return FormCheck(sha, content, checks)


def _void(signature: Signature, *, reason: str, actor, now) -> bool:
    """Void one signature by a conditional update (two writes at once void it once), with history."""
    voided = Signature.objects.filter(pk=signature.pk, void=False).update(
        void=True, void_reason=reason, voided_at=now
    )
    if voided:
        # QuerySet.update() bypasses simple-history: a save of the fresh row records who and why.
        fresh = Signature.objects.get(pk=signature.pk)
        fresh._history_user = actor
        fresh._change_reason = ("签字失效：" + reason)[:100]
        fresh.save()
    signature.void, signature.void_reason, signature.voided_at = True, reason, now
    return bool(voided)


def void_stale(form: OpinionForm, *, actor, reason: str, now=None) -> int:
    """Void the form's signatures whose content no longer matches, as part of the caller's write.

    Only a write calls this: the one that changed a signed fact (``reason`` says which write), inside
    its own transaction, so the voiding is recorded with that write's actor. Returns how many.
    """
    now = now or timezone.now()
    check = verify_signatures(form)
    count = 0
    for c in check.slots:
        if c.status == CHANGED:
            what = describe_changes(c.signature.content, check.content)
            text = f"{reason}：签字后内容已变更（{what}），签字失效，须重新签字。"
            count += _void(c.signature, reason=text, actor=actor, now=now)
    return count


def void_changed_signatures(cases, *, actor, reason: str) -> int:
    """The listener of cases.domain.hooks: a case write changed facts; void what no longer matches."""
    if isinstance(cases, PetitionCase):
        cases = [cases]
    forms = OpinionForm.objects.filter(
        step__case__in=[c.pk for c in cases], slots__signatures__void=False
    ).distinct()
    return sum(void_stale(form, actor=actor, reason=reason) for form in forms.select_related("step"))


def check_signing_password(user, password: str, request=None) -> None:
    """The one password check of signing, throttled like the login (org.throttle); refuses a wrong one."""
    throttle.check_signing_password(user, password, request)


def incomplete_message(missing: list[str]) -> str:
    return "表单尚未填写完整，不能签字。尚缺：" + "；".join(missing) + "。"


def sign(slot: SignatureSlot, *, actor, password: str, now=None, request=None) -> Signature:
    """Sign ``slot`` as ``actor`` after re-checking the password; binds the SHA-256 of the content.

    Refuses another person, a form that is not complete (naming what is missing), a wrong password,
    a slot already validly signed, and a finished step unless re-signing a voided slot. A refused
    attempt writes nothing.
    """
    if slot.user_id != actor.pk:
        raise DomainError("只有指定的签字人本人才能签署此栏。")
    now = now or timezone.now()
    # Refusals that need no lock come first and outside the transaction: a wrong password's failure
    # record (django-axes) must survive the refusal, which would roll back inside the atomic block.
    current = OpinionForm.objects.get(pk=slot.form_id)  # as saved now, not a caller's cached copy
    missing = missing_for_signing(current, slots=_slots_of(current))
    if missing:
        raise DomainError(incomplete_message(missing))
    check_signing_password(actor, password, request)
    with transaction.atomic():
        # One signer at a time per form: the completeness read and the row written agree.
        form = OpinionForm.objects.select_for_update().select_related("step__case").get(pk=slot.form_id)
        slots = _slots_of(form)
        missing = missing_for_signing(form, slots=slots)
        if missing:
            raise DomainError(incomplete_message(missing))
        check = verify_signatures(form, slots=slots)
        mine = next(c for c in check.slots if c.slot.pk == slot.pk)
        if mine.status == VALID:
            raise DomainError("此栏您已签字，无需重复签字。")
        if not form.step.is_open and mine.status not in (VOID, CHANGED):
            raise DomainError("该环节已办结，不能再签字。")
        if mine.status == CHANGED:
            void_stale(form, actor=actor, reason="重新签字", now=now)
        try:
            with transaction.atomic():
                return Signature.objects.create(
                    slot=mine.slot,
                    signer=actor,
                    signed_at=now,
                    content_sha256=check.sha256,
                    content=check.content,
                )
        except IntegrityError:
            raise DomainError("此栏您已签字，无需重复签字。") from None
