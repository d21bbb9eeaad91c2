"""`python -m kitgen` runs the command line."""
from .cli.commands import main

main()
