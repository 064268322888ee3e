"""English dates in one unambiguous format, day first (`23 Nov 2026`), for every template filter.

Django's English mixes `Nov. 23, 2026` (DATE_FORMAT) with `11/23/2026` (SHORT_DATE_FORMAT), and
a team spread over Colombia, Peru and the Philippines reads `11/12/2026` two ways. Spanish keeps
Django's own formats. Input formats stay Django's (the date inputs send ISO anyway).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
