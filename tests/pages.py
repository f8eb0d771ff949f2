"""The main pages of the demo initiative, as each role reaches them.

One list serves the French-text check, the accessibility sweep in the browser and
`make screenshots`, so a page added here is checked and pictured everywhere.
"""

from dataclasses import dataclass

BASE = "/i/early-years"


@dataclass(frozen=True)
class Page:
    name: str  # a file-name friendly label
    user: str | None  # a demo username, None for someone not logged in
    path: str


MAIN_PAGES = [
    Page("login", None, "/accounts/login/"),
    Page("password-reset", None, "/accounts/password_reset/"),
    Page("home-coordinator", "coordinator", "/"),
    Page("overview", "coordinator", f"{BASE}/"),
    Page("initiative-edit", "coordinator", f"{BASE}/edit/"),
    Page("participants", "coordinator", f"{BASE}/organizations/"),
    Page("dimensions", "coordinator", f"{BASE}/dimensions/"),
    Page("dashboard", "coordinator", f"{BASE}/dashboard/"),
    Page("indicator", "coordinator", f"{BASE}/indicators/R1/"),
    Page("indicator-new", "coordinator", f"{BASE}/indicators/new/"),
    Page("targets", "coordinator", f"{BASE}/indicators/R1/targets/"),
    Page("story", "coordinator", f"{BASE}/indicators/R1/story/2025/"),
    Page("reporting", "coordinator", f"{BASE}/reports/"),
    Page("review-queue", "coordinator", f"{BASE}/review/"),
    Page("review", "coordinator", f"{BASE}/reports/maison-famille/2026-Q2/"),
    Page("report-history", "coordinator", f"{BASE}/reports/maison-famille/2026-Q1/history/"),
    Page("upload", "coordinator", f"{BASE}/upload/"),
    Page("password-change", "coordinator", "/accounts/password_change/"),
    Page("home-partner", "partner", "/"),
    Page("partner-reports", "partner", f"{BASE}/reports/maison-famille/"),
    Page("entry-form", "partner", f"{BASE}/reports/maison-famille/2026-Q3/"),
    Page("outcome-report", "funder", f"{BASE}/report/"),
]
