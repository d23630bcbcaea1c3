"""Writing layers to files, print layouts and the planning pack."""
