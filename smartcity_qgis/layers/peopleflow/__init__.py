"""People flow: mesh layers, people-flow and heatmap styles, the live crowd heatmap."""
