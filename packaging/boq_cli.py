"""The frozen `boq` command (packaging/boq-estimator.spec). freeze_support() first: a spawned PDF or
bid worker process starts this same executable with multiprocessing's arguments."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from estimator.cli import main

    sys.exit(main())
