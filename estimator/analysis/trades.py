"""Which trade an item belongs to, so that facilities can be compared trade by trade.

Rule (chosen because bills are named freely per facility, while rate codes are shared):
1. an item priced from a library rate (it has a `rate_code` found in the programme's rate
   snapshot) belongs to that rate's `trade` ("Plastering and Tyrolean finish");
2. an item with only an own rate belongs to the trade that carries most of its bill's
   library-coded amount (ties: most items, then first seen), so an own-rate item in a bill of
   plaster items counts as plastering;
3. a bill without any library-coded item gives its own name with a leading number stripped
   ("3. Plastering" and "Bill 3 - Plastering" both become "Plastering").
"""

from __future__ import annotations

import re
from decimal import Decimal

from estimator.model import Programme
from estimator.money import ZERO
from estimator.pricing import BillTotal

_LEADING_NUMBER = re.compile(r"^\s*(bill\s*)?(no\.?\s*)?[\d٠-٩]+([.\d٠-٩]*)\s*[-–—.:)]*\s*", re.IGNORECASE)


def bill_trade_name(name: str) -> str:
    """A bill's name without its leading number: `3. Plastering` -> `Plastering`."""
    stripped = _LEADING_NUMBER.sub("", name).strip()
    return stripped or name.strip() or "(unnamed bill)"


class TradeMap:
    """Assigns trades to the lines of priced bills of one programme."""

    def __init__(self, programme: Programme) -> None:
        self.rates = programme.rates.rates

    def code_trade(self, code: str) -> str:
        rate = self.rates.get(code) if code else None
        return rate.trade.strip() if rate is not None and rate.trade.strip() else ""

    def bill_trades(self, bill: BillTotal) -> list[str]:
        """The trade of each line of `bill`, in line order."""
        own = [self.code_trade(ln.item.rate_code) for ln in bill.lines]
        if all(own):
            return own
        weight: dict[str, tuple[Decimal, int, int]] = {}
        for pos, (trade, ln) in enumerate(zip(own, bill.lines, strict=True)):
            if trade:
                amount, count, first = weight.get(trade, (ZERO, 0, pos))
                weight[trade] = (amount + ln.amount, count + 1, first)
        if weight:
            fallback = max(weight, key=lambda t: (weight[t][0], weight[t][1], -weight[t][2]))
        else:
            fallback = bill_trade_name(bill.bill.name)
        return [trade or fallback for trade in own]
