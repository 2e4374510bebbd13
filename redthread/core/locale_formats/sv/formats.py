"""Swedish: "1 234,5" (a non-breaking space groups the digits), "2 dec. 2026", "2026-12-02"."""

DATE_FORMAT = r"j b\. Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = r"j b\. Y H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
