"""Running the two-environment stack: train, start, watch and stop servers."""
