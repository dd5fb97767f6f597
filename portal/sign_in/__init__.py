"""
The admin's door: failed sign-ins limited per account and per client
(`lockouts`), one password checked at a time (`password_checks`),
two-factor authentication (`two_factor`, and the sign-in form in `forms`),
and staff sessions that end (`sessions`).
"""
