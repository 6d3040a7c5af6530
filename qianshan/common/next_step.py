"""The 下一步 panel's shape, shared by the case and task pages (templates/includes/next_step.html)."""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Action:
    """One control of the panel: a state move (POSTed to the case's transition view) or a link.

    ``problem`` is why it cannot act now (the button is shown disabled with it); a move that needs
    a reason (重新整改) says so with ``needs_reason``."""

    label: str
    url: str
    kind: str = "link"  # "link", "transition" (a case state move) or "step" (a task close-out step)
    target: str = ""
    problem: str = ""
    needs_reason: bool = False
    primary: bool = True


@dataclass
class NextStep:
    what: str
    who: str
    due: date | None = None
    days_left: int | None = None
    days_unit: str = "天"  # "天" (calendar days) or "个工作日"
    actions: list[Action] = field(default_factory=list)
    note: str = ""  # when nothing here is the user's: who acts instead, or why not

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0
