"""Bids answer their revision: each returned workbook is evaluated against the tender it was issued from.

`evaluate_revisions(project, paths, threshold)` reads the fingerprint each workbook carries (its
hidden `_tender` sheet), finds the tender revision of the .boq with that fingerprint
(`estimator.revisions.by_fingerprint`) and evaluates the workbooks of each revision against that
revision as issued (`estimator.analysis.bids.evaluate`), so a quantity corrected in the programme
after issue does not turn every returned bid away. A bid on a revision that a later one replaced is
evaluated and flagged as superseded. A workbook whose fingerprint matches no issued revision is
refused. A file with no tender revisions at all is evaluated against its working state, as before
revisions existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from estimator.analysis.bids import DEFAULT_THRESHOLD, Evaluation, Progress, Refused, evaluate
from estimator.analysis.bids_json import cba_json
from estimator.analysis.evalfile import Record
from estimator.analysis.lots import CBA, evaluate_lots
from estimator.analysis.xlsxscan import UnsafeXml, Workbook
from estimator.errors import UserError
from estimator.export.xlsx_layout import TENDER_SHEET
from estimator.revisions import TENDER, Revision, by_fingerprint, programme_of, revisions
from estimator.store import Project


@dataclass(slots=True)
class RevisionEvaluation:
    """The bids on one revision (None: the working state of a file without revisions)."""

    revision: Revision | None
    latest: Revision | None
    evaluation: Evaluation
    cba: CBA

    @property
    def superseded(self) -> bool:
        return self.revision is not None and self.latest is not None and self.latest.seq > self.revision.seq

    def label(self) -> str:
        if self.revision is None:
            return "the programme as it is (no tender revision issued)"
        said = f"tender revision {self.revision.name!r} of {self.revision.date.isoformat()}"
        if self.superseded and self.latest is not None:
            said += f", SUPERSEDED by {self.latest.name!r} of {self.latest.date.isoformat()}"
        return said

    def to_json(self) -> dict[str, object]:
        return cba_json(self.cba)


@dataclass(slots=True)
class Outcome:
    groups: list[RevisionEvaluation] = field(default_factory=list)  # in order of issue
    refused: list[Refused] = field(default_factory=list)  # workbooks of no revision, and refusals of each group

    def to_json(self) -> dict[str, object]:
        return {"evaluations": [g.to_json() | {"superseded_by": g.latest.name if g.superseded and g.latest else None}
                                for g in self.groups],
                "refused": [{"file": r.file, "reason": r.reason} for r in self.refused]}


def tender_values(path: Path) -> dict[str, str] | None:
    """The key/value block of a workbook's `_tender` sheet; None if it cannot be read as one."""
    try:
        with Workbook(Path(path)) as wb:
            if TENDER_SHEET not in wb.sheets:
                return None
            values: dict[str, str] = {}
            for _, row in wb.rows(TENDER_SHEET, {"A", "B"}):
                key = row.get("A")
                if key is None or key.value in (None, ""):
                    break
                value = row.get("B")
                values[str(key.value)] = "" if value is None or value.value is None else str(value.value)
            return values
    except (UserError, UnsafeXml, OSError):
        return None  # the evaluation itself says what is wrong with it


def evaluate_revisions(project: Project, paths: Sequence[Path], threshold: Decimal = DEFAULT_THRESHOLD,
                       progress: Progress | None = None, records: Sequence[Record] | None = None,
                       committee: Sequence[tuple[str, str]] = ()) -> Outcome:
    """Each workbook against its revision; per revision the evaluation of the workbooks and the
    comparative bid analysis per lot (`lots.evaluate_lots`, with the evaluation file's `records`)."""
    known = revisions(project, TENDER)
    outcome = Outcome()
    if not known:
        ev = evaluate(project.programme, paths, threshold, progress)
        cba = evaluate_lots(project.programme, ev, records, None, committee)
        outcome.groups.append(RevisionEvaluation(None, None, ev, cba))
        outcome.refused.extend(ev.refused)
        return outcome
    latest = known[-1]
    groups: dict[str, list[Path]] = {}
    for path in paths:
        values = tender_values(path)
        digest = (values or {}).get("fingerprint", "")
        rev = by_fingerprint(project, digest) if digest else None
        if rev is not None:
            groups.setdefault(rev.name, []).append(Path(path))
        elif values is None or not digest:
            groups.setdefault(latest.name, []).append(Path(path))  # unreadable: the evaluation says why
        else:
            outcome.refused.append(Refused(Path(path).name, _no_revision(Path(path), values, project, known)))
    by_name = {rev.name: rev for rev in known}
    unmatched = list(outcome.refused)
    for name in sorted(groups, key=lambda n: by_name[n].seq):
        programme = programme_of(project, by_name[name])
        ev = evaluate(programme, groups[name], threshold, progress)
        outcome.refused.extend(ev.refused)
        ev.refused += unmatched  # workbooks of no revision: listed with every revision's bidders
        cba = evaluate_lots(programme, ev, records, name, committee)
        group = RevisionEvaluation(by_name[name], latest, ev, cba)
        if group.superseded:
            for bidder in cba.bidders:
                bidder.notes.append(f"bid on {group.label()}")
        outcome.groups.append(group)
    return outcome


def _no_revision(path: Path, values: dict[str, str], project: Project, known: list[Revision]) -> str:
    issued = ", ".join(repr(r.name) for r in known)
    ref = project.programme.reference
    if values.get("reference", "") != ref:
        return (f"{path.name}: is the tender workbook of {values.get('reference') or '(no reference)'!r} "
                f"({values.get('programme', '')}), not of this tender {ref or '(no reference)'!r}; refused")
    return (f"{path.name}: matches no issued revision of this programme (issued: {issued}); it was exported from "
            f"a draft that was never issued (revision {values.get('revision', '?')!r}) or from another programme; "
            "refused")
