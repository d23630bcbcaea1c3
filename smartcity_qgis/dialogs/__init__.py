"""Qt widgets of the plugin (thin: they call ``layers``, ``algorithms`` and ``export``).

Panels are grouped by domain (``cityos/``, ``rivers/``, ``hazards/``, ``peopleflow/``,
``districts/``). A module ``ui_*.py`` in any of them may export ``contribute(ui: PluginUI) -> None``;
the plugin calls it from ``initGui`` so that the module can add its menu actions,
toolbar buttons, docks and layer actions through ``PluginUI``, which removes all of
them again on ``unload``.
"""
