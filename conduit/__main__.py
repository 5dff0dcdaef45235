"""`python -m conduit` runs the same CLI as the `conduit` command."""

from conduit.cli.app import main

main()
