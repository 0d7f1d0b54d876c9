"""The second and third illustrative programmes (`boq demo FILE --programme network80|newbuild`),
built through the facility templates, so they show what the templates give.

- `network80`: upgrades and repairs of 80 operated facilities across Aleppo, Hama, Homs and Idlib
  (primary health care and women and family health centres, dialysis units, physiotherapy and
  prosthetic-limb centres), with a spread of sizes and damage levels drawn from a fixed seed, so the
  file is the same on every run and `boq compare` has medians and outliers to show.
- `newbuild`: the new health centre with a mosque and shops in Qudsaya (Rif Dimashq), the advanced
  health centre with outpatient clinics, shops and a water well in al-Qusayr (Homs), and the
  radiotherapy and tumour-diagnosis centre (one linac bunker and two shielded imaging rooms).

Places are real towns; sizes, damage and every quantity are invented (illustrative only).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from estimator.facility_templates import TemplateSet, load_templates
from estimator.model import Bill, Item, Markups, Programme, renumber
from estimator.money import to_decimal
from estimator.rates import current_library
from estimator.sample import new_programme
from estimator.template_build import build_facility

NOTE = ("Illustrative programme built from the bundled facility templates: places are real, sizes, damage and "
        "quantities are invented. Prices come from the bundled rate library and are indicative; check them "
        "against current local quotes before any tender.")

# (town, Arabic, district) per governorate
TOWNS: dict[str, list[tuple[str, str, str]]] = {
    "Idlib": [("Idlib", "إدلب", "Idlib"), ("Ariha", "أريحا", "Ariha"), ("Saraqib", "سراقب", "Idlib"),
              ("Maarrat Misrin", "معرة مصرين", "Idlib"), ("Sarmada", "سرمدا", "Harim"), ("Dana", "الدانا", "Harim"),
              ("Harim", "حارم", "Harim"), ("Salqin", "سلقين", "Harim"), ("Kafr Takharim", "كفرتخاريم", "Harim"),
              ("Jisr al-Shughur", "جسر الشغور", "Jisr al-Shughur"), ("Darkush", "دركوش", "Jisr al-Shughur"),
              ("Armanaz", "أرمناز", "Harim"), ("Binnish", "بنش", "Idlib"), ("Taftanaz", "تفتناز", "Idlib"),
              ("Atmeh", "أطمة", "Harim"), ("Qah", "قاح", "Harim"), ("Kafr Nabl", "كفرنبل", "Maarrat al-Numan"),
              ("Maarrat al-Numan", "معرة النعمان", "Maarrat al-Numan"), ("Khan Shaykhun", "خان شيخون", "Maarrat al-Numan"),
              ("Sinjar", "سنجار", "Maarrat al-Numan")],
    "Aleppo": [("Azaz", "أعزاز", "Azaz"), ("Afrin", "عفرين", "Afrin"), ("al-Bab", "الباب", "al-Bab"),
               ("Jarablus", "جرابلس", "Jarablus"), ("Marea", "مارع", "Azaz"), ("al-Atarib", "الأتارب", "Jebel Saman"),
               ("Jindires", "جنديرس", "Afrin"), ("Akhtarin", "أخترين", "Azaz"), ("Qabasin", "قباسين", "al-Bab"),
               ("Daret Azza", "دارة عزة", "Jebel Saman"), ("Tall Rifaat", "تل رفعت", "Azaz"),
               ("Sharran", "شران", "Afrin"), ("Hayyan", "حيان", "Jebel Saman"), ("Anadan", "عندان", "Jebel Saman"),
               ("Manbij", "منبج", "Manbij")],
    "Hama": [("Hama", "حماة", "Hama"), ("Salamiyah", "السلمية", "Salamiyah"), ("Masyaf", "مصياف", "Masyaf"),
             ("Suqaylabiyah", "السقيلبية", "al-Suqaylabiyah"), ("Kafr Zita", "كفرزيتا", "Mahardah"),
             ("al-Latamneh", "اللطامنة", "Mahardah"), ("Morek", "مورك", "Hama"), ("Halfaya", "حلفايا", "Mahardah"),
             ("Taybat al-Imam", "طيبة الإمام", "Hama"), ("Qalaat al-Madiq", "قلعة المضيق", "al-Suqaylabiyah")],
    "Homs": [("Homs", "حمص", "Homs"), ("al-Rastan", "الرستن", "al-Rastan"), ("Talbiseh", "تلبيسة", "al-Rastan"),
             ("al-Qusayr", "القصير", "al-Qusayr"), ("Tall Kalakh", "تلكلخ", "Tall Kalakh"), ("al-Houla", "الحولة", "Homs"),
             ("Tadmur", "تدمر", "Tadmur"), ("al-Qaryatayn", "القريتين", "Homs"), ("Tell Dahab", "تل ذهب", "Homs")],
}
# facility type, template, how many, English and Arabic name patterns
KINDS = (
    ("primary health care centre", "phc-rehabilitation", 44, "Primary health care centre, {}",
     "مركز الرعاية الصحية الأولية في {}"),
    ("women and family health centre", "phc-rehabilitation", 8, "Women and family health centre, {}",
     "مركز صحة المرأة والأسرة في {}"),
    ("dialysis unit", "dialysis-unit", 12, "Kidney dialysis unit, {}", "وحدة غسيل الكلى في {}"),
    ("physiotherapy centre", "physiotherapy-centre", 9, "Physiotherapy centre, {}", "مركز العلاج الفيزيائي في {}"),
    ("prosthetic limb centre", "prosthetic-workshop", 7, "Prosthetic limb centre, {}", "مركز الأطراف الصناعية في {}"),
)
SHARE = {"Idlib": 30, "Aleppo": 24, "Hama": 14, "Homs": 12}  # facilities per governorate, 80 in all


def _header(name: str, reference: str) -> Programme:
    programme = new_programme(name)
    programme.reference = reference
    programme.organisation = "Example health NGO - engineering unit (illustrative)"
    programme.issue_date = dt.date(2026, 11, 1)
    programme.markups = Markups(to_decimal("5"))
    programme.notes = NOTE
    return programme


def _params(kind: str, rng: random.Random) -> dict[str, str]:
    """A plausible size (and damage) for one facility of `kind`."""
    if kind in ("primary health care centre", "women and family health centre"):
        area = rng.randrange(180, 1000, 10)
        damage = rng.choices(("light", "moderate", "heavy"), weights=(1, 15, 1))[0]
        return {"area": str(area), "storeys": str(1 if area < 500 else 2), "damage": damage}
    if kind == "dialysis unit":
        chairs = rng.choice((6, 8, 10, 10, 12, 14, 16, 20, 24))
        return {"chairs": str(chairs), "area": str(round(chairs * rng.uniform(24, 32) / 10) * 10)}
    if kind == "physiotherapy centre":
        area = rng.randrange(200, 800, 10)
        return {"area": str(area), "storeys": str(1 if area < 500 else 2)}
    area = rng.randrange(180, 650, 10)
    return {"area": str(area), "workstations": str(max(2, round(area / 60)))}


def network80(templates: TemplateSet | None = None) -> Programme:
    templates = templates or load_templates(book=current_library().book)
    book = current_library().book
    rng = random.Random(80)
    programme = _header("Upgrading 80 operated health facilities in Aleppo, Hama, Homs and Idlib (illustrative)",
                        "NWS-HF-80-UP-01")
    slots = [g for g, n in SHARE.items() for _ in range(n)]
    rng.shuffle(slots)
    kinds = [k for k in KINDS for _ in range(k[2])]
    rng.shuffle(kinds)
    used: dict[str, int] = {}
    for governorate, (kind, template, _n, name_en, name_ar) in zip(slots, kinds, strict=True):
        town, town_ar, district = TOWNS[governorate][used.get(governorate, 0) % len(TOWNS[governorate])]
        used[governorate] = used.get(governorate, 0) + 1
        name = name_en.format(town)
        while any(f.name == name for f in programme.facilities):
            name += " II"
        built = build_facility(templates.get(template), _params(kind, rng), book, name, governorate, district,
                               name_ar.format(town_ar))
        built.facility.facility_type = kind
        programme.facilities.append(built.facility)
    return _snapshot(programme)


NEWBUILD: tuple[tuple[str, str, str, str, str, Mapping[str, str]], ...] = (
    ("New health centre with mosque and shops, Qudsaya", "مركز صحي جديد مع مسجد ومحلات تجارية، قدسيا",
     "Rif Dimashq", "Qudsaya", "newbuild-phc-annexes",
     {"area": "1200", "storeys": "2", "mosque_area": "150", "minaret": "18", "shops": "6", "well_depth": "0"}),
    ("Advanced health centre with outpatient clinics, shops and water well, al-Qusayr",
     "مركز صحي متقدم مع عيادات خارجية ومحلات تجارية وبئر مياه، القصير", "Homs", "al-Qusayr", "newbuild-phc-annexes",
     {"area": "1600", "storeys": "2", "mosque_area": "0", "shops": "8", "well_depth": "180"}),
    ("Radiation therapy and tumour diagnosis centre", "مركز العلاج الإشعاعي وتشخيص الأورام", "Idlib", "Idlib",
     "radiotherapy-bunker", {}),
)


def newbuild(templates: TemplateSet | None = None) -> Programme:
    templates = templates or load_templates(book=current_library().book)
    book = current_library().book
    programme = _header("New health facilities: two health centres with annexes and a radiotherapy centre (illustrative)",
                        "NWS-HF-NB-01")
    for name, name_ar, governorate, district, template, params in NEWBUILD:
        built = build_facility(templates.get(template), params, book, name, governorate, district, name_ar)
        programme.facilities.append(built.facility)
    centre = programme.facilities[-1]
    imaging = Bill("7 Imaging rooms shielding", "7 تدريع غرف التصوير الشعاعي")
    for code in ("RT-150", "RT-160"):
        rate = book.rate(code)
        imaging.items.append(Item(rate.description, to_decimal("1"), rate.unit, description_ar=rate.description_ar,
                                  rate_code=code))
    centre.bills.append(imaging)
    renumber(centre)
    return _snapshot(programme)


def _snapshot(programme: Programme) -> Programme:
    codes = {item.rate_code for f in programme.facilities for item in f.items() if item.rate_code}
    programme.rates = current_library().book.closure(codes)
    return programme
