"""thaad-tui's user interface: the Textual app (``tui.app``) and the command line (``tui.cli``)."""
