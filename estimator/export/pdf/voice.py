"""Labels of the pack's language or languages, ready to draw.

In a bilingual pack every label is said twice: English at the start (left) and Arabic at the end
(right) of its box; an Arabic pack says it once, right-aligned and right-to-left.
"""

from __future__ import annotations

from estimator.export.pdf.grid import Lines
from estimator.export.pdf.layout import SIZE, langs, line, text
from estimator.export.pdf.texts import Labels


class Voice:
    def __init__(self, lang: str, labels: dict[str, Labels]) -> None:
        self.lang = lang
        self.codes = langs(lang)
        self.labels = labels
        self.rtl = lang == "ar"

    def say(self, key: str, **fields: object) -> list[str]:
        return [self.labels[code].get(key, **fields) for code in self.codes]

    def parts(self, key: str, width: float, size: float = SIZE, bold: bool = False, align_en: str = "left",
              align_ar: str = "right", fields: dict[str, object] | None = None) -> tuple[Lines, ...]:
        """The label wrapped to `width`, once per language of the pack."""
        return tuple(
            text(value, width, size, bold, align=align_ar if code == "ar" else align_en)
            for code, value in zip(self.codes, self.say(key, **(fields or {})), strict=True)
        )

    def next_to_figure(self) -> tuple[str, str]:
        """(English, Arabic) alignment of a label whose figure is at the end of the row."""
        return "right", "left" if self.rtl else "right"

    def heading(self, key: str, size: float, bold: bool = True, each: dict[str, dict[str, object]] | None = None,
                **fields: object) -> list[Lines]:
        """One title line: English at the left, Arabic at the right (both on the same baseline).

        `each` gives fields that differ by language (e.g. a bill's English and Arabic names)."""
        out = []
        for code in self.codes:
            value = self.labels[code].get(key, **fields, **(each or {}).get(code, {}))
            out.append(line(value, size, bold, align="right" if code == "ar" else "left"))
        return out

    def words(self, code: str) -> Labels:
        return self.labels[code]
