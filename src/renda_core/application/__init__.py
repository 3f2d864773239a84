"""Application layer: command models, the eventsourcing Application, permissions."""
