"""The River levels panel and its menu entries."""
