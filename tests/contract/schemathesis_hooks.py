"""schemathesis hooks of scripts/contract-tests.sh (SCHEMATHESIS_HOOKS).

GET /events holds its answer up to `wait` seconds (0..30) when nothing
follows `after`, which on the mostly empty feeds of generated projects is
nearly always: every generated `wait` of 30 would cost 30 s. So a valid
`wait` above 1 is sent as 1, in every phase. The parameter stays exercised
(0 and 1, held; the invalid values, answered 400 at once), and so does the
operation: only the length of the hold changes.
"""

from __future__ import annotations

from typing import Any

import schemathesis

#: The longest hold a generated request asks for, in seconds.
MAX_WAIT = 1
#: What the spec allows.
SPEC_MAX_WAIT = 30


def capped(value: Any) -> Any:
    """`value` with a valid wait above MAX_WAIT lowered to it; anything
    else (0, 1, and invalid values: negative, too large, not a number) as
    it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and MAX_WAIT < value <= SPEC_MAX_WAIT:
        return MAX_WAIT
    if isinstance(value, str) and value.isascii() and value.isdigit() and MAX_WAIT < int(value) <= SPEC_MAX_WAIT:
        return str(MAX_WAIT)
    return value


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if not case.operation.path.endswith("/events") or not isinstance(case.query, dict):
        return
    if "wait" in case.query:
        case.query["wait"] = capped(case.query["wait"])
