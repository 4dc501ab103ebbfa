"""Allow ``python -m netter``."""

import sys

from netter.cli import main

sys.exit(main())
