"""The Qt desktop app: a thin skin over `estimator`."""
