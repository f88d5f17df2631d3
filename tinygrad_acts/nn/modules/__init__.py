"""The modules of ``tinygrad_acts.nn``."""
