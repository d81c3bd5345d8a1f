"""What a command writes for a person, and how: a file at once (or to standard output), a folder made, the
reason of a system error in words, no folder reached through a link (the console: :mod:`feuille.app.console`).

The command line reaches :mod:`feuille.io.files` and :mod:`feuille.io.links` through here (the modules below it stay the only ones that touch the disk).
"""

from __future__ import annotations

from feuille.io.files import is_standard_output, make_folder, not_a_folder, system_reason, write_file
from feuille.io.links import link_on_the_way
from feuille.io.transaction import CREATED

__all__ = ["CREATED", "is_standard_output", "link_on_the_way", "make_folder", "not_a_folder", "system_reason", "write_file"]
