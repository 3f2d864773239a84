"""First-party adapters shipped with renda: one package each."""
