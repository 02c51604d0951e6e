"""Visit frequencies (拜访频率): the selection and the days each one allows."""

VISIT_FREQUENCIES = [
    ("weekly", "Weekly"),
    ("biweekly", "Every Two Weeks"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
]

# Days a customer may go unvisited under each frequency.
FREQUENCY_DAYS = {"weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91}
