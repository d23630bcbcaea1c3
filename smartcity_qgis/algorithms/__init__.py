"""Processing provider and algorithms (the scriptable door into the plugin).

Each module ``alg_*.py`` in this package exports ``ALGORITHMS``, a list of
``QgsProcessingAlgorithm`` subclasses; the provider finds them by itself, so adding
an algorithm never touches the provider.
"""
