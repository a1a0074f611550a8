"""``python -m ivschat_sdk.local``: the same as the ``ivschat-local`` command."""

from ._cli import main

main()
