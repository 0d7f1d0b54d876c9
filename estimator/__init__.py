"""BoQ Estimator: the estimating engine (no Qt).

Model, units, money, pricing, the rate library, the .boq project file, work-list import,
Excel and PDF export and analysis live in separate modules of this package.
"""

__version__ = "0.1.0"
