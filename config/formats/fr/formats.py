"""Belgian French: "2 décembre 2026", 02/12/2026, 24-hour time, Monday first, 1 234,56
(a no-break space between the thousands)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\N{NO-BREAK SPACE}"
NUMBER_GROUPING = 3
