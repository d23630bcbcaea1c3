"""City-OS panels: connection manager and dialog, the City OS dock, live controls and the chart dock."""
