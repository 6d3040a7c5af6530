"""The figure walk: every figure on the dashboard and the home page links to a list whose total is
that figure — for the office and for a unit user, on the demo data and on a generated data set.

Each figure link carries ``data-figure`` (cards, chart bars and segments, legend entries, trend
points); the walk opens every one and reads the list's own 共 N 件/项/条 from its HTML.
"""

import html
import io
import random
import re
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseState
from cases.models import CaseTransition, PollutionType
from org.models import User
from rectification.enums import TaskStatus
from rectification.models import AnnualTarget
from supervision.domain.warnings import sweep_warnings
from supervision.enums import WarningLevel, WarningState
from supervision.models import EarlyWarning
from tests.factories import CaseFactory, MeasureFactory, MilestoneFactory, TaskFactory, UnitFactory

# Builds history by back-dating transitions (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("rewritable_logs")

FIGURE_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*?\bdata-figure="([^"]*)"')
STAT_CARD = re.compile(r'<a class="stat[^"]*"[^>]*>')
LIST_TOTAL = re.compile(r"共 (\d+) (?:件|项|条)")


def figure_links(page: str) -> list[tuple[str, int]]:
    return [(html.unescape(href), int(float(n))) for href, n in FIGURE_LINK.findall(page)]


def walk(client, page_url: str) -> tuple[int, list[str]]:
    """Open every figure link of the page; return how many were walked and the mismatches."""
    response = client.get(page_url)
    assert response.status_code == 200
    page = response.content.decode()
    # Every card is a figure link (none links to an unfiltered list without saying its number).
    cards = STAT_CARD.findall(page)
    assert cards and all("data-figure=" in card for card in cards), cards
    links = figure_links(page)
    wrong = []
    for href, figure in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        match = LIST_TOTAL.search(listed.content.decode())
        assert match, f"{href}: no list total"
        if int(match.group(1)) != figure:
            wrong.append(f"{href}: figure {figure}, list {match.group(1)}")
    return len(links), wrong


def walk_all(client) -> tuple[int, list[str]]:
    walked, wrong = 0, []
    for url in (reverse("supervision:index"), reverse("home")):
        n, bad = walk(client, url)
        walked, wrong = walked + n, wrong + bad
    return walked, wrong


@pytest.mark.django_db
def test_figure_walk_on_demo_data(client):
    call_command("seed_demo", stdout=io.StringIO())
    for username in ("office", "staff"):
        client.force_login(User.objects.get(username=username))
        walked, wrong = walk_all(client)
        assert walked > 20, (username, walked)
        assert wrong == [], (username, wrong)


def generate(rng: random.Random, units, today) -> None:
    """A mixed data set: cases in every state with deadlines around today, some finished late,
    tasks with late and punctual milestones and targets, warnings open, escalated and resolved."""
    types = [PollutionType.objects.get_or_create(code=f"t{i}", name=f"类型{i}")[0] for i in range(4)]
    tz = timezone.get_current_timezone()
    for i in range(60):
        state = rng.choice(list(CaseState))
        lead = rng.choice(units)
        case = CaseFactory(
            lead_unit=lead,
            cooperating_units=[u for u in units if u != lead and rng.random() < 0.3],
            state=state,
            deadline=today + timedelta(days=rng.randint(-90, 20)),
            transferred_on=today - timedelta(days=rng.randint(0, 100)),
            closed_on=today - timedelta(days=rng.randint(0, 80)) if state in ("closed", "filed") else None,
            is_key=i % 7 == 0,
        )
        case.pollution_types.set(rng.sample(types, rng.randint(0, 2)))
        if (
            state not in (CaseState.RECEIVED, CaseState.INVESTIGATING, CaseState.RECTIFYING)
            and rng.random() < 0.7
        ):
            # A recorded completion some days ago (often after the deadline: finished late).
            move = CaseTransition.objects.create(
                case=case, from_state=CaseState.RECTIFYING, to_state=CaseState.COMPLETED
            )
            at = datetime.combine(
                today - timedelta(days=rng.randint(0, 80)), time(rng.randint(0, 23)), tzinfo=tz
            )
            CaseTransition.objects.filter(pk=move.pk).update(at=at)
    for _ in range(25):
        status = rng.choice(
            [TaskStatus.IN_PROGRESS] * 4 + [TaskStatus.COMPLETE, TaskStatus.CLOSED, TaskStatus.REOPENED]
        )
        task = TaskFactory(
            lead_unit=rng.choice(units),
            status=status,
            deadline=today + timedelta(days=rng.randint(-30, 40)),
        )
        for _ in range(rng.randint(0, 3)):
            done = rng.random() < 0.4
            measure = MeasureFactory(
                task=task,
                deadline=today + timedelta(days=rng.randint(-20, 40)),
                done=done,
                done_on=today - timedelta(days=rng.randint(0, 30)) if done else None,
            )
            for _ in range(rng.randint(0, 2)):
                due = today + timedelta(days=rng.randint(-40, 20))
                MilestoneFactory(
                    measure=measure,
                    due=due,
                    done_on=due + timedelta(days=rng.randint(-3, 3)) if rng.random() < 0.5 else None,
                )
        if rng.random() < 0.8:
            AnnualTarget.objects.create(
                task=task, year=today.year, target="达标", reached=rng.choice([True, False, None])
            )
    sweep_warnings(today=today)
    for w in EarlyWarning.objects.all():
        EarlyWarning.objects.filter(pk=w.pk).update(state=rng.choice(list(WarningState)))
    # One escalated red warning at least: "open" must include it.
    task = TaskFactory(lead_unit=units[0], deadline=today - timedelta(days=40))
    EarlyWarning.objects.create(
        task=task,
        unit=units[0],
        level=WarningLevel.RED,
        deadline=task.deadline,
        raised_on=today,
        reason="x",
        state=WarningState.ESCALATED,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_figure_walk_on_generated_data(seed, users, unit_a, unit_b, client):
    today = timezone.localdate()
    generate(random.Random(seed), [unit_a, unit_b, UnitFactory(name="丙单位")], today)
    for who in ("office", "staff"):
        client.force_login(users[who])
        walked, wrong = walk_all(client)
        assert walked > 30, (who, walked)
        assert wrong == [], (who, wrong)
