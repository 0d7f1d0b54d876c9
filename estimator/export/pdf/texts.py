"""The editable texts of the tender pack: labels, tender particulars and section templates.

Everything a procurement officer may want to reword lives in `templates/tender/` as plain files
(see templates/README.md): `tender.toml` (deadline, securities, ...), and per language `labels.toml`
and the section templates `NN-name.md`. A file of the same name under the user data folder
(`<user data>/templates/tender/...`) replaces the bundled one. `{placeholders}` are filled from the
programme; an unknown placeholder is a UserError naming the file, line and placeholder.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from estimator import paths
from estimator.errors import UserError
from estimator.export.labels import Labels, _read, _toml, fill, find, labels

__all__ = ["Block", "Labels", "fill", "find", "labels", "parse", "placeholders", "section", "select", "settings",
           "specification"]
from estimator.model import Programme

# before the bills of quantities, in this order
SECTIONS = ("01-invitation.md", "02-instructions.md", "03-bid-data-sheet.md", "07-evaluation.md",
            "08-conditions.md", "09-specifications.md", "10-drawings.md", "04-preamble.md")
FORM_OF_BID = "05-form-of-bid.md"
# the returnable forms, after the General Summary (a tender copy only: an engineer's estimate has no bidder)
FORMS = (FORM_OF_BID, "11-bid-submission-form.md", "12-bid-security-form.md", "13-declaration.md",
         "14-qualification.md", "15-site-visit-certificate.md")
DIRECTIVES = {"[[signature]]": "signature", "[[lots]]": "lots", "[[pagebreak]]": "pagebreak",
              "[[bid_lots]]": "bid_lots", "[[particulars]]": "particulars", "[[submission]]": "submission",
              "[[drawings]]": "drawings", "[[specifications]]": "specifications", "[[security_lots]]": "security_lots"}
# `[[if NAME]] text` prints the line only when NAME holds for the programme (`[[if not NAME]]`: when it
# does not); see estimator.export.pack_facts for what each name means.
_CONDITION = re.compile(r"^\s*\[\[if (not )?([a-z_]+)\]\]\s?")


def settings() -> dict[str, object]:
    """Tender particulars (tender.toml) used by the templates."""
    return _toml(find("tender/tender.toml"))


def placeholders(programme: Programme, lang: str, words: Labels) -> dict[str, str]:
    """Every `{name}` a template may use, in the language of the template."""
    tender = settings()
    try:
        deadline = programme.issue_date + dt.timedelta(days=int(str(tender.get("deadline_days", 21))))
    except ValueError:
        raise UserError(f"{find('tender/tender.toml')}: deadline_days must be a whole number of days") from None
    values = {key: str(value) for key, value in tender.items() if not isinstance(value, (dict, list))}
    t = programme.particulars
    lot = t.lot
    try:
        clarification = t.clarification_deadline or deadline - dt.timedelta(days=int(str(tender.get("clarification_days", 7))))
    except ValueError:
        raise UserError(f"{find('tender/tender.toml')}: clarification_days must be a whole number of days") from None
    values.update({
        "programme": programme.display_name(lang),
        "reference": programme.reference or "-",
        "organisation": programme.display_organisation(lang) or "-",
        "revision": programme.revision,
        "currency": programme.currency,
        "currency_name": words.table("currency_names").get(programme.currency, programme.currency),
        "issue_date": words.date(programme.issue_date),
        "deadline": words.date(deadline),
        "validity_days": str(programme.validity_days),
        "validity_date": words.date(deadline + dt.timedelta(days=programme.validity_days)),
        "lots": str(len(programme.facilities)),
        "clarification_deadline": words.date(clarification),
        "site_visit_date": words.date(t.site_visit) if t.site_visit else "-",
        "submission_email": t.submission_email or "-",
        "submission_address": ((t.submission_address_ar or t.submission_address) if lang == "ar"
                               else t.submission_address) or "-",
        "max_lots": str(t.max_lots_per_bidder) if t.max_lots_per_bidder is not None else "-",
        "abnormally_low_percent": format(t.abnormally_low.normalize(), "f"),
        "bid_security_days": str(lot.bid_security_days),
        "completion_days": str(lot.completion_days),
        "defects_liability_days": str(lot.defects_liability_days),
    })
    return values


@dataclass(slots=True)
class Block:
    """One piece of a section template: title, heading, paragraph, bullet, table or directive."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header: bool = False


def parse(text: str) -> list[Block]:
    """The small Markdown subset of the templates: `#`, `##`, `- `, `| a | b |`, paragraphs, [[directives]]."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("para", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("<!--") or not line:
            flush()
            continue
        if line in DIRECTIVES:
            flush()
            blocks.append(Block(DIRECTIVES[line]))
        elif line.startswith("## "):
            flush()
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith("# "):
            flush()
            blocks.append(Block("title", line[2:].strip()))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                if all(c and set(c) <= set("-: ") for c in cells):
                    blocks[-1].header = True
                else:
                    blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif blocks and blocks[-1].kind == "bullet" and raw.startswith((" ", "\t")) and not paragraph:
            blocks[-1].text += " " + line
        else:
            paragraph.append(line)
    flush()
    return blocks


def select(text: str, facts: frozenset[str], known: frozenset[str], source: Path | str) -> str:
    """`text` with each `[[if NAME]]` line kept (without its prefix) when NAME is in `facts`, else made a
    comment; line numbers stay the same, so later messages still name the right line."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        keep = True
        while (found := _CONDITION.match(line)) is not None:  # several conditions: all must hold
            negate, name = bool(found.group(1)), found.group(2)
            if name not in known:
                raise UserError(f"{source}, line {number}: unknown condition [[if {name}]]; known conditions: "
                                f"{', '.join(sorted(known))}")
            keep = keep and (name in facts) != negate
            line = line[found.end():]
        out.append(line if keep else "<!-- -->")
    return "\n".join(out)


def section(name: str, lang: str, values: dict[str, str], facts: frozenset[str] = frozenset(),
            known: frozenset[str] = frozenset()) -> list[Block]:
    """A section template read, its `[[if ...]]` lines selected by `facts`, filled and parsed."""
    from estimator.export.pack_facts import CONDITIONS

    path = find(f"tender/{lang}/{name}")
    return parse(fill(select(_read(path), facts, known or CONDITIONS, path), values, path))


def specification(slug: str, lang: str, values: dict[str, str]) -> list[Block] | None:
    """The technical specification of one trade (`tender/<lang>/specifications/<slug>.md`), or None."""
    user = paths.user_data_dir() / "templates" / "tender" / lang / "specifications" / f"{slug}.md"
    path = user if user.is_file() else paths.templates_dir() / "tender" / lang / "specifications" / f"{slug}.md"
    if not path.is_file():
        return None
    return parse(fill(_read(path), values, path))
