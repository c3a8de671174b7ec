"""`python -m portal.selection ...`"""

from .cli import main

raise SystemExit(main())
