"""The pure domain: aggregates, their events and rules. No I/O, no clock."""
