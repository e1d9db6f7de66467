# Reports.
