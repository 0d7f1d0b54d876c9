"""The frozen `boq-estimator` window (packaging/boq-estimator.spec). freeze_support() first: the
window's PDF export and bid reading spawn worker processes from this same executable."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ui.app import main

    sys.exit(main())
