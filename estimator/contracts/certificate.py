"""The payment certificates of a lot: interim, final (the final account) and the retention release.

Every figure is cumulative to the end of the period, rounded once by `money` (half-up to the cent):

- each item's value to date: its cumulative quantity x its contract rate, rounded (a lump sum measured
  as % complete: that % of its printed amount, rounded); the gross value to date is their sum;
- valuation = gross value to date + materials on site (an amount the engineer certifies this period;
  not cumulative: materials built in are then in the gross value);
- retention held = the retention % of the valuation, but never more than the cap (retention cap % of
  the contract sum as awarded);
- advance recovered to date = advance x f, where f is how far the work has gone between the recovery
  start and end (% of the contract sum as awarded): f = (gross / contract sum x 100 - start) / (end -
  start), kept within 0..1. With start 0 and end 100 this is pro rata (20 % of each certificate's
  gross value for a 20 % advance); "starts at 10 %, fully recovered by 80 %" is start 10, end 80.
  Materials on site do not count towards the recovery;
- net to date = valuation - retention - advance recovered; previous certificates = what the earlier
  certificates certified (their net to date); amount due = net to date - previous certificates.

Final certificate (`kind="final"`, at completion): the final account (the cumulative quantities as
finally measured); no materials on site; the advance is recovered in full; HALF the retention is
released: the retention held afterwards is half the retention (with its cap) on the final account,
rounded half-up to the cent. Retention release (`kind="release"`): allowed once, on or after the end
of the defects liability period (the final certificate's date + the defects liability days); the
retention held becomes 0, so the amount due is the half still held. Periods are certified in order,
each once; a certificate once issued is reprinted exactly as issued, never recomputed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from estimator.contracts.model import Certificate, CertificateLine, ContractError, ContractItem, Ledger
from estimator.limits import MAX_FIGURE
from estimator.money import HUNDRED, ZERO, percent_of, round_money, round_places
from estimator.pricing import line_amount
from estimator.store import Project

INTERIM, FINAL, RELEASE = "interim", "final", "release"


def compute(ledger: Ledger, period: int, date: dt.date, materials: Decimal = ZERO, kind: str = INTERIM) -> Certificate:
    """The certificate of `period`, not yet recorded (`certify` records it)."""
    c = ledger.contract
    if period < 1:
        raise ContractError(f"period {period}: periods are numbered 1, 2, 3, ...")
    if ledger.certificate(period) is not None:
        raise ContractError(f"period {period} of lot {c.lot_name!r} is already certified; a certificate is issued once")
    later = [x.period for x in ledger.certificates if x.period > period]
    if later:
        raise ContractError(f"period {later[0]} of lot {c.lot_name!r} is already certified; periods are certified in "
                            f"order, so period {period} cannot be certified now")
    if materials < 0:
        raise ContractError(f"materials on site {materials}: give an amount of 0 or more")
    final = ledger.final_certificate()
    if kind == RELEASE:
        return _release(ledger, period, date, final)
    if final is not None:
        raise ContractError(f"lot {c.lot_name!r} has its final certificate (period {final.period}); only the retention "
                            "release can follow it (--release)")
    if kind == FINAL and materials:
        raise ContractError("a final certificate has no materials on site: they are built in by completion")
    previous = ledger.certificates[-1] if ledger.certificates else None
    before = {ln.uid: ln for ln in previous.lines} if previous else {}
    lines = []
    for item, quantity, value, pct in valued(ledger, period):
        was = before.get(item.uid)
        lines.append(CertificateLine(item.uid, item.ref, item.description, item.description_ar, item.unit,
                                     item.quantity, item.rate, was.cumulative_quantity if was else ZERO, quantity,
                                     was.cumulative_value if was else ZERO, value, pct))
    gross = sum((ln.cumulative_value for ln in lines), ZERO)
    valuation = gross + materials
    retention = _retention(ledger, valuation)
    advance = percent_of(c.sum, c.terms.advance)
    if kind == FINAL:
        retention, recovery = round_money(retention / 2), advance
    else:
        recovery = round_money(advance * _recovered_fraction(ledger, gross))
    return _figures(ledger, period, date, kind, gross, materials, retention, advance, recovery, tuple(lines))


def valued(ledger: Ledger, period: int) -> list[tuple[ContractItem, Decimal, Decimal, Decimal | None]]:
    """(item, cumulative quantity, value to date, % complete of a lump sum) at the end of `period`."""
    measured = ledger.measured(period)
    out = []
    for item in ledger.items():
        m = measured.get(item.uid)
        pct = None
        if m is None:
            quantity, value = ZERO, ZERO
        elif m.percent is not None:
            pct = m.percent
            quantity = round_places(item.quantity * pct / HUNDRED, 3)
            value = round_money(item.amount * pct / HUNDRED)
        else:
            quantity = m.quantity or ZERO
            value = line_amount(quantity, item.rate, item.unit)
        out.append((item, quantity, value, pct))
    return out


def gross_to_date(ledger: Ledger, period: int) -> Decimal:
    return sum((value for _item, _q, value, _p in valued(ledger, period)), ZERO)


def _retention(ledger: Ledger, valuation: Decimal) -> Decimal:
    terms = ledger.contract.terms
    held = percent_of(valuation, terms.retention)
    if terms.retention_cap is not None:
        held = min(held, percent_of(ledger.contract.sum, terms.retention_cap))
    return max(held, ZERO)


def _recovered_fraction(ledger: Ledger, gross: Decimal) -> Decimal:
    terms, total = ledger.contract.terms, ledger.contract.sum
    if total <= 0:
        return Decimal(1) if gross > 0 else ZERO
    done = gross / total * HUNDRED
    start, end = terms.advance_from, terms.advance_until
    if end <= start:
        return Decimal(1) if done >= end else ZERO
    return min(max((done - start) / (end - start), ZERO), Decimal(1))


def _figures(ledger: Ledger, period: int, date: dt.date, kind: str, gross: Decimal, materials: Decimal,
             retention: Decimal, advance: Decimal, recovery: Decimal, lines: tuple[CertificateLine, ...]) -> Certificate:
    c = ledger.contract
    valuation = gross + materials
    net = valuation - retention - recovery
    previous = sum((x.amount_due for x in ledger.certificates), ZERO)
    return Certificate(c.lot, c.lot_name, period, date, c.currency, c.contractor, c.sum, ledger.revised_sum(), gross,
                       materials, valuation, retention, advance, recovery, net, previous, net - previous, lines, kind,
                       len(ledger.certificates) + 1)


def _release(ledger: Ledger, period: int, date: dt.date, final: Certificate | None) -> Certificate:
    c = ledger.contract
    if final is None:
        raise ContractError(f"lot {c.lot_name!r} has no final certificate yet; the retention is released after it "
                            "(issue the final certificate with --final first)")
    if any(x.kind == RELEASE for x in ledger.certificates):
        raise ContractError(f"the retention of lot {c.lot_name!r} has already been released")
    due = final.date + dt.timedelta(days=c.terms.defects_liability_days)
    if date < due:
        raise ContractError(f"the defects liability period of lot {c.lot_name!r} ends on {due.isoformat()} "
                            f"({c.terms.defects_liability_days} days after the final certificate of "
                            f"{final.date.isoformat()}); the retention can be released from that date")
    lines = tuple(CertificateLine(ln.uid, ln.ref, ln.description, ln.description_ar, ln.unit, ln.contract_quantity,
                                  ln.rate, ln.cumulative_quantity, ln.cumulative_quantity, ln.cumulative_value,
                                  ln.cumulative_value, ln.percent) for ln in final.lines)
    return _figures(ledger, period, date, RELEASE, final.gross_to_date, ZERO, ZERO, final.advance,
                    final.advance_recovery, lines)


def certify(project: Project, ledger: Ledger, period: int, date: dt.date | None = None, materials: Decimal = ZERO,
            kind: str = INTERIM) -> Certificate:
    """Compute and record the certificate of `period`; what was recorded, as read back."""
    from estimator.contracts import storage

    cert = compute(ledger, period, date or dt.date.today(), materials, kind)
    data, lines = storage.certificate_data(cert)
    if any(abs(Decimal(v)) >= MAX_FIGURE for v in data.values()):  # what is recorded must read back
        raise ContractError(f"the certificate's figures are beyond any contract (materials on site {materials}?); "
                            "nothing was recorded")
    storage.append(project, ledger.contract.lot, "certificate", period, kind, cert.date, data, lines)
    found = storage.ledger(project, ledger.contract.lot)
    issued = found.certificate(period) if found else None
    assert issued is not None and issued.amount_due == cert.amount_due, "a recorded certificate reads back differently"
    return issued
