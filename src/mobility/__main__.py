"""Run the command line as ``python -m mobility``."""

from .cli import main


raise SystemExit(main())
