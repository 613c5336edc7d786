"""``python -m stickerscan`` runs the command line."""

from stickerscan.cli import main

main()
