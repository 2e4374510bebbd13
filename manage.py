#!/usr/bin/env python
"""Same as the ``redthread`` command, for those who reach for manage.py."""

from redthread.cli import main

if __name__ == "__main__":
    main()
