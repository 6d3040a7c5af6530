"""Celery tasks of the cases app: thin, idempotent through the database."""

import logging
from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .domain.rechecks import draw_rechecks as draw_rechecks_service
from .domain.tallies import compact_tallies as compact_tallies_service

log = logging.getLogger(__name__)


@shared_task(
    name="qianshan.cases.draw_rechecks",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def draw_rechecks(month: str | None = None, seed: int | None = None) -> int:
    """Draw the month's re-check sample ("YYYY-MM", default this month); returns the draw's id.

    A second run for the same month returns the recorded draw (unique month), so retries and a
    restarted beat change nothing.
    """
    day = date.fromisoformat(month + "-01") if month else timezone.localdate().replace(day=1)
    draw = draw_rechecks_service(day, seed=seed)
    log.info("re-check draw %s: %s of %s cases", draw, draw.sample_size, draw.population_size)
    return draw.pk


@shared_task(
    name="qianshan.cases.compact_tallies",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def compact_tallies() -> tuple[int, int]:
    """Fold the case and pollution-type tallies' delta rows (cases.domain.tallies): the sums do not
    change, so a retry or a second run at the same time changes nothing."""
    read, written = compact_tallies_service()
    log.info("tallies compacted: %s rows into %s", read, written)
    return read, written
