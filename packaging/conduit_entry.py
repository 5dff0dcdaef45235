"""Entry script of the single `conduit` binary: runs the same CLI as the `conduit` console script.

Imports only conduit.cli.app; everything else is found by packaging/conduit.spec.
"""

from conduit.cli.app import main

main()
