"""Menu entries that add hazard files and tiles."""
