"""Vietnamese: 2.459 and 3,5 (grouping by three with "." as the thousands separator)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
