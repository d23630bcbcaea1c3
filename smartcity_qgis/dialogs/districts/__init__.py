"""The district dock and the district drawing tools."""
