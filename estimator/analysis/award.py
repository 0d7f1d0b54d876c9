"""The recommendation: per lot the lowest evaluated responsive bid, within a maximum number of lots per bidder.

Without a maximum (or when the lowest bids already respect it) each lot goes to its lowest bid.
With a maximum, the cheapest allowed combination is found by an exact search over the assignments:
a minimum-cost flow (source -> bidder, capacity the maximum; bidder -> lot, cost the bid; lot ->
sink, capacity 1), augmented one lot at a time along the cheapest path (Dijkstra with potentials).
It awards as many lots as can be awarded and, among those assignments, the one of least total
cost; its time is bounded by lots x (bidders x lots) x log, whatever the amounts (80 lots with 10
bidders: a few milliseconds). `tests/test_bid_lots.py` checks it against trying every assignment.

The cost of awarding a lot is its bid less the lot's `baseline` (the engineer's estimate) when one
is given: when every lot can be awarded that changes nothing (the estimates add up to the same
whatever the assignment), and when the maximum leaves some lots without a bidder, the lots awarded
are those that save most against their estimates, not merely the smallest ones.

Ties are broken by the order bidders are given in (the ranking's), so the result is reproducible.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from estimator.money import ZERO

Offers = Mapping[str, Sequence[tuple[str, Decimal]]]  # lot -> (bidder, amount), cheapest first


@dataclass(frozen=True, slots=True)
class Award:
    lot: str
    bidder: str
    amount: Decimal


def lowest(offers: Offers) -> dict[str, Award]:
    """Each lot to its lowest bid, ignoring any maximum."""
    return {lot: Award(lot, *min(bids, key=lambda b: b[1])) for lot, bids in offers.items() if bids}


def recommend(offers: Offers, max_lots: int | None, baseline: Mapping[str, Decimal] | None = None) -> dict[str, Award]:
    """The awards (lot -> Award) of least total cost among those awarding the most lots, with at most
    `max_lots` lots per bidder (None: no maximum); a lot's cost is its bid less its `baseline`."""
    best = lowest(offers)
    if max_lots is None:
        return best
    counts: dict[str, int] = {}
    for award in best.values():
        counts[award.bidder] = counts.get(award.bidder, 0) + 1
    if all(n <= max_lots for n in counts.values()):
        return best
    return _min_cost_flow(offers, max_lots, baseline or {})


def _min_cost_flow(offers: Offers, max_lots: int, baseline: Mapping[str, Decimal]) -> dict[str, Award]:
    lots = [lot for lot, bids in offers.items() if bids]
    bidders: list[str] = []
    for lot in lots:
        for bidder, _ in offers[lot]:
            if bidder not in bidders:
                bidders.append(bidder)
    # nodes: 0 source, 1..B bidders, B+1..B+L lots, B+L+1 sink
    source, sink = 0, len(bidders) + len(lots) + 1
    b_node = {b: i + 1 for i, b in enumerate(bidders)}
    l_node = {lot: len(bidders) + 1 + i for i, lot in enumerate(lots)}
    graph: list[list[int]] = [[] for _ in range(sink + 1)]
    to: list[int] = []
    cap: list[int] = []
    cost: list[Decimal] = []

    def edge(u: int, v: int, capacity: int, c: Decimal) -> None:
        graph[u].append(len(to))
        to.append(v)
        cap.append(capacity)
        cost.append(c)
        graph[v].append(len(to))
        to.append(u)
        cap.append(0)
        cost.append(-c)

    for b in bidders:
        edge(source, b_node[b], max_lots, ZERO)
    # every path found awards exactly one more lot, so a constant added to each lot's cost changes no
    # choice; it keeps the costs at 0 or more, as the search with potentials from 0 needs
    shift = max((baseline.get(lot, ZERO) - amount for lot in lots for _, amount in offers[lot]), default=ZERO)
    shift = max(shift, ZERO)
    amounts: dict[tuple[str, str], Decimal] = {}
    for lot in lots:
        for bidder, amount in offers[lot]:
            if (bidder, lot) not in amounts:
                amounts[bidder, lot] = amount
                edge(b_node[bidder], l_node[lot], 1, amount - baseline.get(lot, ZERO) + shift)
        edge(l_node[lot], sink, 1, ZERO)
    # costs may be negative only on reverse edges, which start empty: potentials from 0 are valid
    potential = [ZERO] * (sink + 1)
    for _ in lots:
        dist: list[Decimal | None] = [None] * (sink + 1)
        via = [-1] * (sink + 1)
        dist[source] = ZERO
        heap: list[tuple[Decimal, int]] = [(ZERO, source)]
        while heap:
            d, u = heapq.heappop(heap)
            if d != dist[u]:
                continue
            for e in graph[u]:
                if cap[e] <= 0:
                    continue
                v = to[e]
                nd = d + cost[e] + potential[u] - potential[v]
                current = dist[v]
                if current is None or nd < current:
                    dist[v] = nd
                    via[v] = e
                    heapq.heappush(heap, (nd, v))
        reached = dist[sink]
        if reached is None:
            break  # no more lots can be awarded within the maximum
        for node in range(sink + 1):
            found = dist[node]
            if found is not None:
                potential[node] += found
        v = sink
        while v != source:
            e = via[v]
            cap[e] -= 1
            cap[e ^ 1] += 1
            v = to[e ^ 1]
    awards: dict[str, Award] = {}
    for b in bidders:
        for e in graph[b_node[b]]:
            v = to[e]
            if e % 2 == 0 and v in l_node.values() and cap[e] == 0:
                lot = lots[v - len(bidders) - 1]
                awards[lot] = Award(lot, b, amounts[b, lot])
    return {lot: awards[lot] for lot in lots if lot in awards}
