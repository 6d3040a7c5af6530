"""Demo acceptance chains (示例) around the cases seeded by cases/demo.py, at every step:

- C2 D2LN202107160012 (completed): acceptance applied 3 days ago, the industry member signed the
  day after, the leader has not — waiting for signature;
- P2020 SJDC2020-0917 (completed): acceptance applied 10 days ago, nobody signed — overdue;
- C2 D2LN202107200047 (accepted): acceptance passed and signed, the 3-day review application
  is open and overdue;
- C1 (filed) and the first 3 C1-LB (closed/filed) cases: full chains signed end to end; the first
  C1-LB case failed its first acceptance (round 1, with reasons) and passed in round 2.

Every date is counted back from the seed day: nothing is dated after it (deadlines aside).
Creates only what is missing (a case with any step is left alone), never updates a row.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases.models import PetitionCase
from org.demo import DEMO_PASSWORD
from org.enums import Role
from org.models import RoleAssignment, User

from .domain.signing import canonical_content, content_sha256
from .enums import FormKind, SlotRole, StepKind, StepOutcome
from .models import OpinionForm, Signature, SignatureSlot, Step

EXTRA_USERS = [
    ("acceptor2", "吴验收", Role.ACCEPTANCE_MEMBER, "鞍山市生态环境局", "副科长"),
    ("reviewer2", "郑复核", Role.REVIEW_MEMBER, "鞍山市生态环境局", "科长"),
    ("reviewer3", "钱复核", Role.REVIEW_MEMBER, "千山风景区纪工委", "纪检员"),
]
OPINIONS = {
    "opinion_rectification": "整改措施已落实，举报问题已解决，现场无反弹。",
    "opinion_penalty": "已依法立案处罚，处罚决定已执行到位。",
    "opinion_satisfaction": "走访举报人及周边群众，群众表示满意并签字确认。",
    "opinion_accountability": "经核查，不涉及责任追究。",
}


def seed(ctx) -> None:
    people = _people(ctx)
    today = timezone.localdate()
    c2 = {c.receipt_no: c for c in PetitionCase.objects.filter(inspection__code="C2")}
    p2020 = PetitionCase.objects.filter(inspection__code="P2020", receipt_no="SJDC2020-0917").first()
    if "D2LN202107160012" in c2:
        _chain(ctx, c2["D2LN202107160012"], people, start=today - timedelta(days=3), upto="signing")
    if p2020 is not None:
        _chain(ctx, p2020, people, start=today - timedelta(days=10), upto="applied")
    if "D2LN202107200047" in c2:
        _chain(ctx, c2["D2LN202107200047"], people, start=today - timedelta(days=12), upto="accepted")
    closed = list(PetitionCase.objects.filter(inspection__code="C1").order_by("receipt_no"))
    closed += list(PetitionCase.objects.filter(inspection__code="C1-LB").order_by("receipt_no")[:3])
    for i, case in enumerate(closed):
        start = (case.transferred_on or date(2018, 7, 1)) + timedelta(days=50)
        _chain(ctx, case, people, start=start, upto="reviewed", failed_first=i == len(closed) - 3)


def _people(ctx) -> dict:
    people = {"acceptor": ctx.users.get("acceptor"), "reviewer": ctx.users.get("reviewer")}
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
    return people


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _chain(ctx, case, people, *, start: date, upto: str, failed_first: bool = False) -> None:
    if Step.objects.filter(case=case).exists():
        return
    rnd = 1
    if failed_first:
        Step.objects.create(
            case=case,
            kind=StepKind.ACCEPTANCE,
            round=1,
            starts_on=start,
            done_on=start + timedelta(days=6),
            outcome=StepOutcome.FAILED,
            reasons="【示例】现场仍有扬尘，群众不满意，须重新整改。",
            unit=case.lead_unit,
        )
        ctx.count("验收复核环节", True)
        rnd, start = 2, start + timedelta(days=20)
    accepted_on = start + timedelta(days=5)
    # Still waiting for signatures: the opinion was written and first signed the day after applying
    # (start is 3 days before the seed day), never on a day still to come.
    signed_on = start + timedelta(days=1) if upto == "signing" else accepted_on
    acceptance = _step(
        ctx, case, StepKind.ACCEPTANCE, rnd, start, accepted_on if upto in ("accepted", "reviewed") else None
    )
    form = OpinionForm.objects.create(
        step=acceptance,
        kind=FormKind.ACCEPTANCE_OPINION,
        form_date=signed_on if upto != "applied" else None,
        unit_name=case.lead_unit.name if case.lead_unit else "",
        statement="达到了整改验收标准",
        **(OPINIONS if upto != "applied" else {}),
    )
    leader = _slot(form, SlotRole.LEADER, people["acceptor"], "千山风景区督察整改工作协调组办公室")
    industry = _slot(form, SlotRole.INDUSTRY_MEMBER, people["acceptor2"], "鞍山市生态环境局")
    if upto == "applied":
        return
    _sign(form, [industry], _at(signed_on))
    if upto == "signing":
        return
    _sign(form, [leader], _at(accepted_on, 11))
    application = _step(ctx, case, StepKind.REVIEW_APPLICATION, rnd, accepted_on, None)
    if upto == "accepted":
        return
    applied_on = accepted_on + timedelta(days=2)
    Step.objects.filter(pk=application.pk).update(outcome=StepOutcome.PASSED, done_on=applied_on)
    reviewed_on = applied_on + timedelta(days=4)
    review = _step(ctx, case, StepKind.REVIEW, rnd, applied_on, reviewed_on)
    letter = OpinionForm.objects.create(
        step=review,
        kind=FormKind.REVIEW_LETTER,
        unit_name=form.unit_name,
        accepted_on=accepted_on,
        reviewed_on=reviewed_on,
        opinion_finding="经复核，案件定性准确。",
        **OPINIONS,
    )
    slots = [_slot(letter, SlotRole.LEADER, people["reviewer"], "鞍山市督改办")]
    for role, who in (
        (SlotRole.FINDING, "reviewer2"),
        (SlotRole.RECTIFICATION, "reviewer2"),
        (SlotRole.PENALTY, "reviewer2"),
        (SlotRole.SATISFACTION, "reviewer2"),
        (SlotRole.ACCOUNTABILITY, "reviewer3"),
    ):
        slots.append(_slot(letter, role, people[who], ""))
    _sign(letter, slots, _at(reviewed_on))


def _step(ctx, case, kind, rnd, starts_on, done_on) -> Step:
    ctx.count("验收复核环节", True)
    return Step.objects.create(
        case=case,
        kind=kind,
        round=rnd,
        starts_on=starts_on,
        done_on=done_on,
        outcome=StepOutcome.PASSED if done_on else StepOutcome.PENDING,
        unit=case.lead_unit if kind == StepKind.ACCEPTANCE else None,
    )


def _slot(form, role, user, unit_name) -> SignatureSlot:
    return SignatureSlot.objects.create(
        form=form,
        role=role,
        user=user,
        member_unit=unit_name,
        member_post=user.post,
        member_phone=user.phone,
        order=form.slots.count() + 1,
    )


def _sign(form, slots, at) -> None:
    content = canonical_content(form)
    sha = content_sha256(content)
    for slot in slots:
        Signature.objects.create(
            slot=slot, signer=slot.user, signed_at=at, content_sha256=sha, content=content
        )
