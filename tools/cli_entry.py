"""Entry script of the frozen console executable `fieldkit-cli` (same commands as `fieldkit`)."""

import sys

from fieldkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
