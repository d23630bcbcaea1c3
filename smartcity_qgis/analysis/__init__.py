"""Numeric kernels: JIS mesh, kernel density, exposure, k-anonymity. Never imports qgis."""
