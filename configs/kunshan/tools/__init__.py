"""Build scripts and the source data of the Kunshan model config (not part of the package)."""
