"""Dates and numbers in Bahasa Indonesia: "22 Nov 2026" with the Indonesian month abbreviations
(Mei, Agu, Okt, Des), 24-hour times with a dot (14.30), a comma before decimals and a dot between
thousands (66,7; 1.234), weeks from Monday. Typed dates as in English, and 22/11/2026."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# A month and year where only those are known ("Mar 2024").
MONTH_YEAR_SHORT_FORMAT = "M Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
