"""The child process of the kill harness and the locking tests: `python -m tests.reliability.child OP ARGS`.

Prints `READY` when everything is imported and the operation is about to start (the parent times
its random kills from there), `SAVED k` after each completed save of an edit session, and
`DONE seconds steps` at the end. Operations:

    cli ARGS...            the real `boq` command line (import, reprice, export, new, demo ...)
    save-edit FILE SEED    open FILE, apply `states.apply_edit(SEED)`, save
    save-changed FILE SEED open FILE, apply `states.changed_edit(SEED)`, save only what it changed
    create FILE SEED       write `states.make_programme(seed=SEED)` as a new file
    save-as SRC DST SEED   open SRC, apply an edit, save it as DST
    session FILE N         N small edits, each saved (the window's save-after-every-edit);
                           BOQ_KILL_AFTER_SAVE=k: SIGKILL right after the k-th save returns
    hold FILE              open FILE for writing, print LOCKED, wait until stdin closes
    try-open FILE          open FILE for writing once; print OPENED or the error's class and message
    edit-save FILE SEED    open FILE, apply a small edit, save, close (for concurrent writers)
    window-session FILE N  N quantity edits through the window's Document (Qt), saved as the window saves
"""

from __future__ import annotations

import os
import signal
import sys
import time

from tests.reliability import killpoints, states


def main(argv: list[str]) -> int:
    killpoints.install()
    from estimator.cli.main import main as boq
    from estimator.errors import UserError
    from estimator.store import Project

    op, *args = argv
    print("READY", flush=True)
    started = time.perf_counter()
    killpoints.arm()
    rc = 0
    if op == "cli":
        rc = boq(args)
    elif op == "save-edit":
        with Project.open(args[0]) as project:
            states.apply_edit(project.programme, int(args[1]))
            project.save()
    elif op == "save-changed":
        with Project.open(args[0]) as project:
            change = states.changed_edit(project.programme, int(args[1])).apply(project.programme)
            project.save(changed=change)
    elif op == "create":
        Project.create(args[0], states.make_programme(seed=int(args[1]))).close()
    elif op == "save-as":
        with Project.open(args[0]) as project:
            states.apply_edit(project.programme, int(args[2]))
            project.save_as(args[1])
    elif op == "session":
        stop = int(os.environ.get("BOQ_KILL_AFTER_SAVE", "0"))
        with Project.open(args[0]) as project:
            for k in range(1, int(args[1]) + 1):
                states.small_edit(project.programme, k)
                project.save()
                if k == stop:
                    os.kill(os.getpid(), signal.SIGKILL)
                print(f"SAVED {k}", flush=True)
    elif op == "window-session":
        window_session(args[0], int(args[1]))
    elif op == "hold":
        with Project.open(args[0]):
            print("LOCKED", flush=True)
            sys.stdin.read()
    elif op == "try-open":
        try:
            Project.open(args[0]).close()
            print("OPENED", flush=True)
        except UserError as exc:
            print(f"{type(exc).__name__}: {exc}", flush=True)
            rc = 1
    elif op == "edit-save":
        try:
            with Project.open(args[0]) as project:
                states.small_edit(project.programme, int(args[1]))
                project.save()
            print("SAVED", flush=True)
        except UserError as exc:
            print(f"{type(exc).__name__}: {exc}", flush=True)
            rc = 1
    else:
        raise SystemExit(f"unknown operation {op!r}")
    killpoints.disarm()
    print(f"DONE {time.perf_counter() - started:.4f} {killpoints.steps()}", flush=True)
    return rc


def window_session(path: str, count: int) -> None:
    """The window's way of saving: edits pushed on a real Document (Qt undo stack, live estimate), each
    saved from the event loop right after it; SAVED k once the k-th edit's save has completed."""
    from estimator.edits import set_fields
    from ui.document import Document
    from ui.qt import QApplication

    app = QApplication(["boq-estimator"])
    document = Document.open(path)
    done = [0]

    def saved() -> None:
        done[0] += 1
        print(f"SAVED {done[0]}", flush=True)

    document.saved.connect(saved)
    for k in range(1, count + 1):
        bill, item = states.session_target(document.programme, k)
        document.push(set_fields(bill, item, {"quantity": item.quantity + k}))
        while document.save_pending:
            app.processEvents()
    document.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
