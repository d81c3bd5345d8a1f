"""Moved to :mod:`feuille.app.values` (values as staff write them), :mod:`feuille.app.update` (what update asks) and
:mod:`feuille.app.write` (the write service); these names still find them for code written before."""

from feuille.app.update import label_of, parse_field, parse_named, show_value  # noqa: F401
from feuille.app.values import (  # noqa: F401
                                InputError,
                                day_text,
                                number,
                                parse_choice,
                                parse_date,
                                parse_number,
                                parse_progress,
                                person,
                                say,
                                service,
                                set_write_lang,
                                write_lang,
)
