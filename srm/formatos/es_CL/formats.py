# Chilean usage for what Django localises by itself (FORMAT_MODULE_PATH): a date or moment a
# template prints without a format reads 31-03-2026 (14:05), always with the year, and a number
# formatted with grouping takes a thousands dot. Django's «es» writes 31/03/2026 and groups with a
# space. Figures the SRM writes itself go through srm/formato.py.
DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "d-m-Y H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
FIRST_DAY_OF_WEEK = 1  # Monday

# What a person may type; Django also takes ISO (2026-03-31), which <input type="date"> sends.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
