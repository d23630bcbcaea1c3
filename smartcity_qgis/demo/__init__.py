"""``python -m smartcity_qgis.demo``: the main job on the embedded demo city OS, headless.

Each module ``step_NN_*.py`` in this package exports ``run(ctx: DemoContext) -> list[Path]``
(the files it wrote); steps run in the order of their numbers and share ``ctx``.
"""
