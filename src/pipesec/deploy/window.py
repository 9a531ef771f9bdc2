"""Deployment windows and freeze periods: ``[deploy] windows`` and ``freeze``.

A window is days of the week, local hours and an IANA time zone; hours that run past
midnight (``22:00-06:00``) belong to the day they start on. A freeze is inclusive calendar
dates (``2026-12-24/2026-12-26``) in ``freeze-tz``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from pipesec.core.config import DeployWindow

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day(name: str, spec: str) -> int:
    key = name.strip().lower()
    if key in DAYS:
        return DAYS.index(key)
    if key in _FULL:
        return _FULL.index(key)
    raise ValueError(f"{spec!r}: {name.strip()!r} is not a day; write Mon, Tue ... Sun")


def parse_days(spec: str) -> frozenset[int]:
    """``"Mon-Fri"``, ``"Mon,Wed,Fri"``, ``"Fri-Mon"`` (wraps), ``"*"``: weekday numbers
    (Monday = 0)."""
    if spec.strip() == "*":
        return frozenset(range(7))
    out: set[int] = set()
    for part in spec.split(","):
        if not part.strip():
            raise ValueError(f"{spec!r}: empty day in the list")
        first, sep, last = part.partition("-")
        a = _day(first, spec)
        b = _day(last, spec) if sep else a
        i = a
        while True:
            out.add(i)
            if i == b:
                break
            i = (i + 1) % 7
    return frozenset(out)


def _minutes(text: str, spec: str) -> int:
    hh, sep, mm = text.strip().partition(":")
    if not (sep and hh.isdigit() and mm.isdigit() and len(mm) == 2 and 1 <= len(hh) <= 2):
        raise ValueError(f"{spec!r}: {text.strip()!r} is not a time; write HH:MM")
    h, m = int(hh), int(mm)
    if m > 59 or h > 24 or (h == 24 and m):
        raise ValueError(f"{spec!r}: {text.strip()!r} is not a time of day (00:00-24:00)")
    return h * 60 + m


def parse_hours(spec: str) -> tuple[int, int]:
    """``"09:00-17:00"`` as minutes since midnight (end exclusive); an end before the
    start runs past midnight."""
    start, sep, end = spec.partition("-")
    if not sep:
        raise ValueError(f"{spec!r}: write hours as HH:MM-HH:MM, e.g. 09:00-17:00")
    a, b = _minutes(start, spec), _minutes(end, spec)
    if a == b:
        raise ValueError(f"{spec!r}: the window is empty (start equals end)")
    return a, b


@lru_cache(maxsize=64)
def parse_zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)") from None


def parse_freeze(spec: str, tz: str) -> tuple[dt.date, dt.date]:
    """``"2026-12-24/2026-12-26"`` or ``"2026-12-31"``: inclusive dates."""
    first, sep, last = spec.partition("/")
    try:
        a = dt.date.fromisoformat(first.strip())
        b = dt.date.fromisoformat(last.strip()) if sep else a
    except ValueError:
        raise ValueError(
            f"{spec!r}: write a freeze as YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"
        ) from None
    if b < a:
        raise ValueError(f"{spec!r}: the freeze ends before it starts")
    return a, b


@dataclass(frozen=True, slots=True)
class Window:
    days: frozenset[int]
    start: int
    end: int
    tz: str
    text: str

    def contains(self, now: dt.datetime) -> bool:
        local = now.astimezone(parse_zone(self.tz))
        minute = local.hour * 60 + local.minute
        day = local.weekday()
        if self.start < self.end:
            return day in self.days and self.start <= minute < self.end
        # past midnight: the evening of a listed day, or the morning after one
        if day in self.days and minute >= self.start:
            return True
        return (day - 1) % 7 in self.days and minute < self.end


def window(cfg: DeployWindow) -> Window:
    start, end = parse_hours(cfg.hours)
    return Window(parse_days(cfg.days), start, end, cfg.tz, f"{cfg.days} {cfg.hours} {cfg.tz}")


def parse_now(text: str) -> dt.datetime:
    """``--now``: ISO-8601; without an offset it is UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--now {text!r}: not an ISO-8601 time (2026-12-07T10:00:00+01:00)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def check(
    now: dt.datetime, windows: Sequence[DeployWindow], freeze: Sequence[str], freeze_tz: str
) -> list[str]:
    """One line per failed requirement (``window: ...``, ``freeze: ...``)."""
    failures = []
    if windows:
        parsed = [window(w) for w in windows]
        if not any(w.contains(now) for w in parsed):
            local = now.astimezone(parse_zone(parsed[0].tz))
            shown = f"{local:%Y-%m-%d %H:%M} {_DAY_NAMES[local.weekday()]} {parsed[0].tz}"
            allowed = "; ".join(w.text for w in parsed)
            failures.append(f"window: {shown} is outside the deployment windows ({allowed})")
    if freeze:
        today = now.astimezone(parse_zone(freeze_tz)).date()
        for spec in freeze:
            a, b = parse_freeze(spec, freeze_tz)
            if a <= today <= b:
                failures.append(
                    f"freeze: {today.isoformat()} ({freeze_tz}) is inside the freeze {spec}"
                )
                break
    return failures
