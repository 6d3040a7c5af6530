"""What other apps do inside a write that changed a case's facts.

The acceptance chain binds signatures to the facts a form states; when a case write changes
them, the signatures must be voided in that same transaction, by that write's actor and with its
reason. cases never names the acceptance app: acceptance registers its listener here in its
AppConfig.ready(), as it registers its transition guards (cases.domain.transitions.add_guard).
"""

from collections.abc import Callable, Sequence

from ..models import PetitionCase

FactsListener = Callable[..., None]  # (cases, *, actor, reason) -> None

_LISTENERS: list[FactsListener] = []


def on_facts_changed(listener: FactsListener) -> None:
    """Register ``listener(cases, *, actor, reason)``; registering twice keeps one."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def facts_changed(cases: Sequence[PetitionCase], *, actor, reason: str) -> None:
    """Called by every case write, inside its transaction, with the cases whose fields it saved."""
    if not cases:
        return
    for listener in _LISTENERS:
        listener(list(cases), actor=actor, reason=reason)
