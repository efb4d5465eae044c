"""Dates and numbers in Vietnamese: day/month/year with two-digit day and month (22/11/2026),
"tháng 11 năm 2026" where only the month is known, 24-hour times (14:30), a comma before
decimals and a dot between thousands (66,7; 1.234), weeks from Monday."""

DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n \n\ă\m Y"
# A month and year where only those are known ("tháng 3 năm 2024").
MONTH_YEAR_SHORT_FORMAT = r"\t\h\á\n\g n \n\ă\m Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
