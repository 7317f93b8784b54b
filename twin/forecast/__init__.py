"""The nightly forecast cycle: state and lock, windows, products, atomic publishing."""
