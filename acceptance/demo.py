"""Demo acceptance chains (示例) around the cases seeded by cases/demo.py, at every step:

- C2 D2LN202107160012 (completed): acceptance applied 3 days ago; the opinion is complete and the
  industry member signed the day after, the leader has not — waiting for signature;
- P2020 SJDC2020-0917 (completed): acceptance applied 10 days ago, the opinion still incomplete
  (no date, no opinions, checklist not filled) — the 签字 panel is disabled with the missing list;
- C2 D2LN202107200047 (accepted): acceptance passed and signed, review applied, the review letter
  complete and signed by every fitting signer but the 司法局 one — waiting for 冯司法;
- C1 (filed) and the first 3 C1-LB (closed/filed) cases: full chains signed end to end; the first
  C1-LB case failed its first acceptance (round 1, with reasons) and passed in round 2.

Signers are people of real units tagged with their kind (org.UnitTag), each in a slot it fits
(acceptance.domain.rules); every passed form is complete. Every date is counted back from the seed
day. Creates only what is missing (a case with any step is left alone), never updates a row.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases.models import PetitionCase
from org.demo import DEMO_PASSWORD
from org.domain.units import unit_tags
from org.enums import Role, UnitKind
from org.enums import UnitTagCode as T
from org.models import RoleAssignment, Unit, User

from .domain import rules
from .domain.signing import canonical_content, content_sha256
from .enums import FormKind, SlotRole, StepKind, StepOutcome
from .models import OpinionForm, Signature, SignatureSlot, Step

ECOLOGY = "鞍山市生态环境局"
HOUSING = "鞍山市住房和城乡建设局"
JUSTICE = "鞍山市司法局"
DISCIPLINE = "鞍山市纪委监委"
SUPERVISION = "鞍山市委市政府督查室"
OFFICE = "鞍山市督改办"
QIANSHAN = "千山风景区"
QIANSHAN_OFFICE = "千山风景区督察整改工作协调组办公室"

# City units of the review team (附件2 二（二）) the org seed does not make: (name, short name).
CITY_UNITS = [
    (HOUSING, "市住建局"),
    (JUSTICE, "市司法局"),
    (DISCIPLINE, "市纪委监委"),
    (SUPERVISION, "市督查室"),
    (OFFICE, "市督改办"),
]
# Each unit's kinds.
UNIT_TAGS = {
    ECOLOGY: [T.ECOLOGY, T.CITY_DEPARTMENT],
    HOUSING: [T.INDUSTRY, T.CITY_DEPARTMENT],
    JUSTICE: [T.JUSTICE, T.CITY_DEPARTMENT],
    DISCIPLINE: [T.DISCIPLINE],
    SUPERVISION: [T.SUPERVISION_OFFICE],
    OFFICE: [T.RECTIFICATION_OFFICE],
    QIANSHAN: [T.PARTY_GOVERNMENT],
    "大孤山镇": [T.PARTY_GOVERNMENT],
    "千山镇": [T.PARTY_GOVERNMENT],
    "千山风景区生态环境分局": [T.ECOLOGY],
    QIANSHAN_OFFICE: [T.RECTIFICATION_OFFICE],
    "辽宁环科检测技术有限公司（示例）": [T.PROFESSIONAL_BODY],
}
# (username, full name, role, unit, post); acceptor and reviewer come from the org seed.
EXTRA_USERS = [
    ("acceptor2", "吴验收", Role.ACCEPTANCE_MEMBER, HOUSING, "副科长"),
    ("reviewer2", "郑复核", Role.REVIEW_MEMBER, ECOLOGY, "科长"),
    ("reviewer3", "钱复核", Role.REVIEW_MEMBER, DISCIPLINE, "纪检监察员"),
    ("reviewer4", "冯司法", Role.REVIEW_MEMBER, JUSTICE, "行政执法监督科科长"),
    ("reviewer5", "何督查", Role.REVIEW_MEMBER, SUPERVISION, "督查专员"),
    ("reviewer6", "韩住建", Role.REVIEW_MEMBER, HOUSING, "高级工程师"),
    ("reviewer7", "许主任", Role.REVIEW_MEMBER, QIANSHAN, "管委会办公室主任"),
]
SEED_UNITS = {"acceptor": QIANSHAN_OFFICE, "reviewer": OFFICE}
OPINIONS = {
    "opinion_rectification": "整改措施已落实，举报问题已解决，现场无反弹。",
    "opinion_penalty": "已依法立案处罚，处罚决定已执行到位。",
    "opinion_satisfaction": "走访举报人及周边群众，群众表示满意并签字确认。",
    "opinion_accountability": "经核查，不涉及责任追究。",
}
# 复核责任书: who signs which opinion (every required kind of 附件2 二（三）).
REVIEW_SIGNERS = [
    (SlotRole.LEADER, ["reviewer"]),
    (SlotRole.FINDING, ["reviewer2", "reviewer6"]),
    (SlotRole.RECTIFICATION, ["reviewer2", "reviewer6"]),
    (SlotRole.PENALTY, ["reviewer4", "reviewer2", "reviewer6"]),
    (SlotRole.SATISFACTION, ["reviewer2", "reviewer6", "reviewer7"]),
    (SlotRole.ACCOUNTABILITY, ["reviewer3", "reviewer5", "reviewer"]),
]


def seed(ctx) -> None:
    units = _units(ctx)
    people = _people(ctx, units)
    today = timezone.localdate()
    c2 = {c.receipt_no: c for c in PetitionCase.objects.filter(inspection__code="C2")}
    p2020 = PetitionCase.objects.filter(inspection__code="P2020", receipt_no="SJDC2020-0917").first()
    chain = {"ctx": ctx, "people": people, "units": units}
    if "D2LN202107160012" in c2:
        _chain(c2["D2LN202107160012"], start=today - timedelta(days=3), upto="signing", **chain)
    if p2020 is not None:
        _chain(p2020, start=today - timedelta(days=10), upto="applied", **chain)
    if "D2LN202107200047" in c2:
        _chain(c2["D2LN202107200047"], start=today - timedelta(days=12), upto="review_signing", **chain)
    closed = list(PetitionCase.objects.filter(inspection__code="C1").order_by("receipt_no"))
    closed += list(PetitionCase.objects.filter(inspection__code="C1-LB").order_by("receipt_no")[:3])
    for i, case in enumerate(closed):
        start = (case.transferred_on or date(2018, 7, 1)) + timedelta(days=50)
        _chain(case, start=start, upto="reviewed", failed_first=i == len(closed) - 3, **chain)


def _units(ctx) -> dict[str, Unit]:
    units = {}
    order = Unit.objects.count() + 1
    for name, short in CITY_UNITS:
        unit, made = Unit.objects.get_or_create(
            name=name, defaults={"kind": UnitKind.DEPARTMENT, "short_name": short, "sort_order": order}
        )
        ctx.count("单位", made)
        order += 1
    tags = {tag.code: tag for tag in unit_tags(T.values)}
    for name, codes in UNIT_TAGS.items():
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            continue
        have = unit.tag_codes()
        missing = [tags[code] for code in codes if code not in have and code in tags]
        if missing:
            unit.tags.add(*missing)
            ctx.count("单位类别标注", True)
        units[name] = unit
    return units


def _people(ctx, units) -> dict:
    people = {name: ctx.users.get(name) for name in SEED_UNITS}
    for username, full_name, role, _unit_name, post in EXTRA_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                email=f"{username}@qianshan.example",
                phone="13904120%03d" % (len(people) + 1),
                post=post,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            ctx.count("用户", True)
        _, made = RoleAssignment.objects.get_or_create(user=user, role=role, unit=None)
        ctx.count("角色", made)
        people[username] = user
    unit_of = {**SEED_UNITS, **{u[0]: u[3] for u in EXTRA_USERS}}
    return {name: (user, units.get(unit_of[name])) for name, user in people.items() if user is not None}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _all_met(form, case) -> dict:
    return {code: {"met": True, "note": ""} for code, _ in rules.checklist_points(form, case)}


def _chain(case, *, ctx, people, units, start: date, upto: str, failed_first: bool = False) -> None:
    if Step.objects.filter(case=case).exists():
        return
    receiving, organiser = rules.receiving_body(case.lead_unit)
    housing = units.get(HOUSING)
    rnd = 1
    if failed_first:
        _step(
            ctx, case, StepKind.ACCEPTANCE, 1, start, start + timedelta(days=6), receiving, organiser, housing,
            outcome=StepOutcome.FAILED, reasons="【示例】现场仍有扬尘，群众不满意，须重新整改。",
        )  # fmt: skip
        rnd, start = 2, start + timedelta(days=20)
    accepted_on = start + timedelta(days=5)
    # Still waiting for signatures: the opinion was written and first signed the day after applying
    # (start is 3 days before the seed day), never on a day still to come.
    signed_on = start + timedelta(days=1) if upto == "signing" else accepted_on
    done = accepted_on if upto in ("review_signing", "reviewed") else None
    acceptance = _step(ctx, case, StepKind.ACCEPTANCE, rnd, start, done, receiving, organiser, housing)
    complete = upto != "applied"
    form = OpinionForm.objects.create(
        step=acceptance,
        kind=FormKind.ACCEPTANCE_OPINION,
        form_date=signed_on if complete else None,
        unit_name=case.lead_unit.name if case.lead_unit else "",
        statement="达到了整改验收标准",
        **(OPINIONS if complete else {}),
    )
    if complete:
        OpinionForm.objects.filter(pk=form.pk).update(checklist=_all_met(form, case))
        form.refresh_from_db()
    leader = _slot(form, SlotRole.LEADER, *people["acceptor"])
    industry = _slot(form, SlotRole.INDUSTRY_MEMBER, *people["acceptor2"])
    if upto == "applied":
        return
    _sign(form, [industry], _at(signed_on))
    if upto == "signing":
        return
    _sign(form, [leader], _at(accepted_on, 11))
    applied_on = accepted_on + timedelta(days=2)
    _step(ctx, case, StepKind.REVIEW_APPLICATION, rnd, accepted_on, applied_on)
    reviewed_on = applied_on + timedelta(days=4) if upto == "reviewed" else applied_on + timedelta(days=1)
    review = _step(ctx, case, StepKind.REVIEW, rnd, applied_on, reviewed_on if upto == "reviewed" else None)
    letter = OpinionForm.objects.create(
        step=review,
        kind=FormKind.REVIEW_LETTER,
        unit_name=form.unit_name,
        accepted_on=accepted_on,
        reviewed_on=reviewed_on,
        opinion_finding="经复核，案件定性准确，反映问题属实。",
        checklist={code: {"met": True, "note": ""} for code, _ in rules.REVIEW_PRINCIPLES},
        **OPINIONS,
    )
    slots = [
        _slot(letter, role, *people[name])
        for role, names in REVIEW_SIGNERS
        for name in names
        if name in people
    ]
    if upto == "review_signing":
        # Everyone but the 司法局 signer of the penalty opinion has signed.
        slots = [
            s for s in slots if not (s.role == SlotRole.PENALTY and s.user_id == people["reviewer4"][0].pk)
        ]
    _sign(letter, slots, _at(reviewed_on))


def _step(
    ctx, case, kind, rnd, starts_on, done_on, receiving="", organiser=None, supervising=None, **outcome
):
    ctx.count("验收复核环节", True)
    is_acceptance = kind == StepKind.ACCEPTANCE
    return Step.objects.create(
        case=case,
        kind=kind,
        round=rnd,
        starts_on=starts_on,
        done_on=done_on,
        outcome=outcome.get("outcome") or (StepOutcome.PASSED if done_on else StepOutcome.PENDING),
        reasons=outcome.get("reasons", ""),
        unit=case.lead_unit if is_acceptance else None,
        receiving_body=receiving if is_acceptance else "",
        organiser=organiser if is_acceptance else None,
        supervising_unit=supervising if is_acceptance else None,
    )


def _slot(form, role, user, unit) -> SignatureSlot:
    return SignatureSlot.objects.create(
        form=form,
        role=role,
        user=user,
        unit=unit,
        member_post=user.post or "组员",
        member_phone=user.phone or "0412-0000000",
        order=form.slots.count() + 1,
    )


def _sign(form, slots, at) -> None:
    content = canonical_content(form)
    sha = content_sha256(content)
    for slot in slots:
        Signature.objects.create(
            slot=slot, signer=slot.user, signed_at=at, content_sha256=sha, content=content
        )
