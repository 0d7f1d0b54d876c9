"""One engineer editing a server programme live, for the concurrency test (run as a separate process).

`python -m tests.support.live_client URL NAME SEED EDITS OUT.json`: EDITS random read-modify-write edits
of item quantities (each one transaction checked against the item's version); an edit refused because
someone changed the item meanwhile adopts the value the refusal shows. Writes what was accepted and
refused to OUT.json.
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal

from estimator.server.live import EditRefused, LiveProgramme


def main(url: str, name: str, seed: int, edits: int, out: str) -> None:
    live = LiveProgramme(url, name)
    rng = random.Random(seed)
    uids = sorted(live.items)
    accepted, refused = [], []
    try:
        for _ in range(edits):
            if rng.random() < 0.05 and live.poll(0):
                live.refresh()
            uid = rng.choice(uids)
            item = live.items[uid]
            base, old = live.item_version(uid), item.quantity
            delta = Decimal(rng.randint(-100, 100)) / 100
            try:
                version = live.edit_item(uid, quantity=old + delta)
                accepted.append({"uid": uid, "base": base, "version": version, "delta": str(delta),
                                 "value": str(old + delta)})
            except EditRefused as exc:
                assert exc.theirs is not None
                refused.append({"uid": uid, "base": base, "version": exc.version, "shown": str(exc.theirs.quantity),
                                "by": exc.by})
                live.adopt(exc)
    finally:
        live.close()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"user": live.user, "accepted": accepted, "refused": refused}, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
