"""``python -m scenegen``: see ``scenegen.cli``."""

from scenegen.cli import main

raise SystemExit(main())
