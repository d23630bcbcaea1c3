"""People-flow panels: the crowd heatmap actions and the JIS mesh codes panel."""
