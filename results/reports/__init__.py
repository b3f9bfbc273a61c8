"""Reporting actuals (issue #13, step 2): a project's report for one period span, entered and
submitted by the partner's users (or staff), reviewed by staff, locked once approved.

- ``selectors``: who may see, enter and review which report; what is due and what waits.
- ``services``: every write — save, submit, return, approve, unlock — atomic, with its history.
- ``evidence``: attached documents (checked as story attachments are) and the download.
- ``forms``, ``views``: the report page and the review.

Why a report per (project, span) and not per indicator period: a partner reports a half-year at
a time, and a reviewer reads the figures of a half-year together (a total of trained people
against the groups formed); one submit, one review, one history. See docs/results.md.
"""
