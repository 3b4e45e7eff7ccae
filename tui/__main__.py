"""``python -m tui``: the same entry point as the ``thaad-tui`` command."""

import sys

from tui.cli import main

sys.exit(main())
