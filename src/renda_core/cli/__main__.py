"""``python -m renda_core.cli`` runs the CLI (as the ``renda`` script does)."""

from renda_core.cli import cli

cli(prog_name="renda")
