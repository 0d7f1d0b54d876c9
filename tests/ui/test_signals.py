"""Regression: PySide6 6.12.0 on Python 3.11 aborted ("bool_dealloc") after a few thousand signal
emits with a bool argument. We run Python 3.12; this keeps 5,000 such emits, through real
connections (direct, and queued across a thread), in every test run."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from ui.qt import QObject, QRunnable, Qt, QThreadPool, Signal

EMITS = 5000


class Sender(QObject):
    flag = Signal(bool)


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[bool] = []

    def take(self, value: bool) -> None:
        self.got.append(value)


def test_five_thousand_bool_emits_direct(qtbot: QtBot) -> None:
    sender, receiver = Sender(), Receiver()
    sender.flag.connect(receiver.take, Qt.ConnectionType.DirectConnection)
    for n in range(EMITS):
        sender.flag.emit(n % 2 == 0)
    assert len(receiver.got) == EMITS
    assert receiver.got[:4] == [True, False, True, False] and sum(receiver.got) == EMITS // 2


def test_five_thousand_bool_emits_queued_from_a_worker_thread(qtbot: QtBot) -> None:
    sender, receiver = Sender(), Receiver()
    sender.flag.connect(receiver.take, Qt.ConnectionType.QueuedConnection)
    finished = threading.Event()

    class Emit(QRunnable):
        def run(self) -> None:
            for n in range(EMITS):
                sender.flag.emit(n % 3 == 0)
            finished.set()

    QThreadPool.globalInstance().start(Emit())
    qtbot.waitUntil(lambda: finished.is_set() and len(receiver.got) == EMITS, timeout=30000)
    assert sum(receiver.got) == len(range(0, EMITS, 3))
