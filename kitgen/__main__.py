"""`python -m kitgen` runs the command line."""
from .cli import main

main()
