"""The archive catalogue (档案目录) of a case and the other evidence reads the scoring issue uses.

``archive_catalogue(case)`` is what the scoring sheet's "archive 14" part prefills from:
whether the catalogue is complete, whether the assignment note is there, and per handling unit
(lead + cooperating) whether its handling materials and its site records with photos are there.
``points_summary(case)`` gives "problems solved / problems" for the result part. Both read the
case's ``attachments`` / ``points`` through ``.all()``, so a caller may prefetch them.
"""

from dataclasses import dataclass, field

from ..enums import AttachmentKind, Finding, PhotoStage
from ..models import Attachment, PetitionCase

K = AttachmentKind
HANDLING_KINDS = frozenset({K.HANDLING_MATERIAL, K.PENALTY_DOCUMENT})


@dataclass
class CatalogueSection:
    kind: str
    label: str
    required: bool
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.attachments)


@dataclass
class UnitArchive:
    unit_id: int
    unit_name: str
    has_handling_materials: bool
    has_site_records_and_photos: bool


@dataclass
class ArchiveCatalogue:
    sections: list[CatalogueSection]
    units: list[UnitArchive]

    @property
    def is_complete(self) -> bool:
        return all(s.present for s in self.sections if s.required)

    @property
    def has_assignment_note(self) -> bool:
        return any(s.present for s in self.sections if s.kind == K.ASSIGNMENT_NOTE)

    @property
    def missing(self) -> list[str]:
        return [s.label for s in self.sections if s.required and not s.present]


def required_kinds(case: PetitionCase) -> set[str]:
    kinds = {K.ASSIGNMENT_NOTE, K.SITE_RECORD, K.PHOTO, K.HANDLING_MATERIAL, K.SATISFACTION}
    if case.penalty_cases:
        kinds.add(K.PENALTY_DOCUMENT)
    if case.finding == Finding.UNTRUE:
        kinds.discard(K.HANDLING_MATERIAL)
    return kinds


def archive_catalogue(case: PetitionCase) -> ArchiveCatalogue:
    attachments = list(case.attachments.all())
    required = required_kinds(case)
    sections = [
        CatalogueSection(kind, label, kind in required, [a for a in attachments if a.kind == kind])
        for kind, label in K.choices
    ]
    units = [u for u in [case.lead_unit, *case.cooperating_units.all()] if u is not None]
    unit_rows = []
    for unit in units:
        own = [a for a in attachments if a.unit_id == unit.pk]
        kinds = {a.kind for a in own}
        unit_rows.append(
            UnitArchive(
                unit.pk,
                unit.name,
                has_handling_materials=bool(kinds & HANDLING_KINDS),
                has_site_records_and_photos={K.SITE_RECORD, K.PHOTO} <= kinds,
            )
        )
    return ArchiveCatalogue(sections, unit_rows)


def points_summary(case: PetitionCase) -> tuple[int, int]:
    """(resolved, total) over the case's true complaint points; (0, 0) when none were recorded."""
    points = [p for p in case.points.all() if p.is_true]
    return sum(1 for p in points if p.is_resolved), len(points)


def photo_pairs(case: PetitionCase) -> list[tuple[str, list[Attachment], list[Attachment]]]:
    """(spot label, before photos, after photos) for the side-by-side comparison (整改前后对比)."""
    pairs: dict[str, tuple[list, list]] = {}
    for a in case.attachments.all():
        if a.kind != K.PHOTO or a.photo_stage == PhotoStage.NONE:
            continue
        before, after = pairs.setdefault(a.pair_label or "未标注点位", ([], []))
        (before if a.photo_stage == PhotoStage.BEFORE else after).append(a)
    return [(label, before, after) for label, (before, after) in pairs.items()]
