"""Signatures bind to who signed, not to how a name is displayed (docs/signing.md, “迁移”).

Before this migration the signed content named each signer by display name, and opening a form page
compared and voided signatures: renaming a user in admin, then merely opening the form, voided every
signature naming them — blamed on whoever opened the page. Such data can exist wherever the earlier
version ran, so this migration, for every form:

1. gives each signature slot its unit (org.Unit) where the free-text unit matches a unit's name or
   alias; the text stays as it was written (``member_unit``);
2. restores a signature voided only by such a page view: its void reason names nothing but the member
   table (the only part a rename touched), its content equals the current facts once display names
   are left out, and its slot holds no newer signature — recorded in the history with this reason;
3. re-expresses every valid signature of a finished step in the new content (user id plus the slot's
   unit, post and phone), when the facts it signed are the current ones; the content as signed stays
   in the signature's history. A valid signature whose facts did change is voided with that reason;
4. voids the valid signatures of forms whose step is still open: they were made before a form had to
   be complete and its signers of fitting units to be signed (the form is frozen by them and could
   never be completed); the form is to be completed and signed again. Recorded with this reason.

Self-contained: it uses only the historical models and copies of the old and new content rules.
"""

import hashlib
import json

from django.db import migrations
from django.utils import timezone

OLD_CASE_FACTS = (
    "receipt_no",
    "finding",
    "investigation",
    "handling",
    "accountability",
    "penalty_cases",
    "fine_amount",
    "persons_held_accountable",
    "complainant_accepted",
)
CASE_FACTS = {
    "acceptance_opinion": (*OLD_CASE_FACTS, "completion_evidence", "acceptance_category"),
    "review_letter": OLD_CASE_FACTS,
}
OLD_CASE_FACTS_BY_KIND = {
    "acceptance_opinion": (*OLD_CASE_FACTS, "completion_evidence"),
    "review_letter": OLD_CASE_FACTS,
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
# The checklist point codes as of this migration (acceptance.domain.rules).
CATEGORY_POINTS = {
    "nearby": ["nearby_done", "nearby_clean", "nearby_lasting", "nearby_satisfied"],
    "public_interest": ["public_clean", "public_restored", "public_standard", "public_satisfied"],
    "planning_policy": ["planning_sorted", "planning_handled", "planning_satisfied"],
    "nimby": ["nimby_responded", "nimby_compensated", "nimby_understood"],
    "interest_dispute": ["dispute_handled", "dispute_guided", "dispute_understood", "dispute_calm"],
}
REVIEW_PRINCIPLES = ["facts", "rectified", "penalised", "accountable", "satisfied"]
# The old wording when only the member table (which held the display names) differed.
VIEW_VOID_REASON = "签字后内容已变更：验收组成员表，签字失效，须重新签字。"
RESTORED = "迁移恢复：该签字仅因签字人显示名称变更后打开页面而失效，所签事实未变"
REBOUND = "迁移：签字内容改为按用户编号及签字栏单位、职务绑定，所签事实未变"
CHANGED = "迁移核对：签字后内容已变更，签字失效，须重新签字。"
OPEN_STEP = (
    "系统升级：签字前表单须填写完整、签字人须来自相应类别的单位；"
    "本环节仍在办理中，原签字作废，请补全表单后重新签字。"
)


def _text(value):
    return "" if value is None else str(value)


def _sha(content):
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _old_without_names(content):
    """The old content with the display names (slot index 2) left out."""
    return {
        "case": content.get("case", {}),
        "fields": content.get("fields", {}),
        "slots": [[s[0], s[1], s[3], s[4], s[5]] for s in content.get("slots", [])],
    }


def _current_old_without_names(form, facts, slots):
    return {
        "case": {name: _text(facts[name]) for name in OLD_CASE_FACTS_BY_KIND[form.kind]},
        "fields": {name: _text(getattr(form, name)) for name in FORM_FIELDS},
        "slots": [[s.role, s.user_id, s.member_unit, s.member_post, s.member_phone] for s in slots],
    }


def _new_content(form, facts, slots):
    if form.kind == "review_letter":
        codes = REVIEW_PRINCIPLES
    else:
        codes = CATEGORY_POINTS.get(facts.get("acceptance_category") or "", [])
    checklist = []
    for code in codes:
        entry = (form.checklist or {}).get(code) or {}
        met = entry.get("met")
        checklist.append([code, met if met in (True, False) else None, _text(entry.get("note", ""))])
    return {
        "v": 2,
        "form": form.kind,
        "case": {name: _text(facts[name]) for name in CASE_FACTS[form.kind]},
        "fields": {name: _text(getattr(form, name)) for name in FORM_FIELDS},
        "checklist": checklist,
        "slots": [[s.role, s.user_id, s.unit_id, s.member_post, s.member_phone] for s in slots],
    }


def _units_by_name(Unit):
    found = {}
    for unit in Unit.objects.all():
        names = [unit.name, unit.short_name]
        names += unit.aliases.replace("，", ",").replace("\n", ",").split(",")
        for name in names:
            if name.strip():
                found.setdefault(name.strip(), unit.pk)
    return found


def forwards(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    PetitionCase = apps.get_model("cases", "PetitionCase")
    OpinionForm = apps.get_model("acceptance", "OpinionForm")
    SignatureSlot = apps.get_model("acceptance", "SignatureSlot")
    Signature = apps.get_model("acceptance", "Signature")
    HistoricalSignature = apps.get_model("acceptance", "HistoricalSignature")
    now = timezone.now()

    def record(signature, reason):
        HistoricalSignature.objects.create(
            id=signature.pk,
            slot_id=signature.slot_id,
            signer_id=signature.signer_id,
            signed_at=signature.signed_at,
            content_sha256=signature.content_sha256,
            content=signature.content,
            void=signature.void,
            void_reason=signature.void_reason,
            voided_at=signature.voided_at,
            history_date=now,
            history_change_reason=reason[:100],
            history_type="~",
            history_user=None,
        )

    units = _units_by_name(Unit)
    for slot in SignatureSlot.objects.filter(unit__isnull=True).exclude(member_unit=""):
        unit_id = units.get(slot.member_unit.strip())
        if unit_id is not None:
            SignatureSlot.objects.filter(pk=slot.pk).update(unit_id=unit_id)

    names = sorted({name for fields in CASE_FACTS.values() for name in fields})
    for form in OpinionForm.objects.filter(slots__signatures__isnull=False).distinct().select_related("step"):
        facts = PetitionCase.objects.filter(pk=form.step.case_id).values(*names).get()
        slots = list(SignatureSlot.objects.filter(form=form).order_by("order", "id"))
        current_old = _current_old_without_names(form, facts, slots)
        new = _new_content(form, facts, slots)
        new_sha = _sha(new)
        step_open = form.step.outcome == "pending"
        for slot in slots:
            signatures = list(Signature.objects.filter(slot=slot).order_by("signed_at", "id"))
            if not signatures:
                continue
            latest = signatures[-1]
            valid = [s for s in signatures if not s.void]
            if (
                not valid
                and not step_open
                and latest.void_reason == VIEW_VOID_REASON
                and "v" not in latest.content
                and _old_without_names(latest.content) == current_old
            ):
                latest.void, latest.void_reason, latest.voided_at = False, "", None
                latest.save(update_fields=["void", "void_reason", "voided_at"])
                record(latest, RESTORED)
                valid = [latest]
            for signature in valid:
                if "v" in signature.content:
                    continue
                if step_open or _old_without_names(signature.content) != current_old:
                    signature.void, signature.void_reason = True, OPEN_STEP if step_open else CHANGED
                    signature.voided_at = now
                    signature.save(update_fields=["void", "void_reason", "voided_at"])
                    record(signature, signature.void_reason)
                    continue
                signature.content, signature.content_sha256 = new, new_sha
                signature.save(update_fields=["content", "content_sha256"])
                record(signature, REBOUND)


class Migration(migrations.Migration):
    dependencies = [
        ("acceptance", "0003_signers_of_units"),
        ("cases", "0008_temporary_measure"),
        ("org", "0004_unit_tags"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
