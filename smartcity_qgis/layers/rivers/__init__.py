"""River stations: 警戒レベル styles, the crossing log and the monitor that watches station layers."""
