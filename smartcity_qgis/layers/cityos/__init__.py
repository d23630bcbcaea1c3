"""City-OS layers: connections, entity layers (load → build → features → schema), live updates,
snapshots and history."""
