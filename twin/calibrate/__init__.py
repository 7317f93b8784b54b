"""Calibration: model parameters adjusted to station observations by an ensemble smoother
with multiple data assimilation (ES-MDA), each member an independent run on dask."""
