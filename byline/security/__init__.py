"""Byline's attack tests: one module per finding of the security reviews.

Not an app: nothing here runs in the site. `tests/test_<id>_<name>.py` holds the
requests an attacker sent and what Byline answers now, so that the next review
starts from them (browser attacks are in `e2e/test_attack_<id>_<name>.py`).
"""
