#!/usr/bin/python3
"""check_ics.py FILE [N]: validate an iCalendar file with a real parser.

Checks the octets (CRLF line ends, lines folded at 75 octets without
splitting a UTF-8 character), then parses with python3-icalendar and checks
the calendar (VERSION, PRODID, a Europe/London VTIMEZONE with BST and GMT
rules) and every VEVENT (UID unique, DTSTAMP in UTC, DTSTART in
Europe/London or a date, DTSTART itself an occurrence of its RRULE).
Expands the first N (default 6) occurrences of each RRULE with
python3-dateutil in Europe/London time and prints a JSON summary for the
caller to compare with what it expects.  Exit 0 if valid, 1 with the
reasons on stderr if not, 2 on usage errors.

Run with /usr/bin/python3: Debian's icalendar and dateutil are installed
for that interpreter.
"""
import datetime
import json
import sys
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

LONDON = ZoneInfo("Europe/London")
errors = []


def err(msg):
    errors.append(msg)


def check_octets(raw):
    if not raw.endswith(b"\r\n"):
        err("the file does not end with CRLF")
    lines = raw.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            err("line %d: bare CR or LF (lines must end with CRLF)" % i)
        if len(line) > 75:
            err("line %d: %d octets, over 75: %r" % (i, len(line), line[:40]))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            err("line %d: not UTF-8 on its own (a character split by "
                "folding?): %s" % (i, e))
        if i > 1 and line[:1] not in (b" ", b"\t") and b":" not in line:
            err("line %d: neither a property nor a continuation" % i)
    return lines


def raw_value(prop):
    v = prop.to_ical()
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def check_timezone(cal):
    tzs = [c for c in cal.walk("VTIMEZONE")
           if str(c.get("TZID")) == "Europe/London"]
    if len(tzs) != 1:
        err("expected one VTIMEZONE with TZID Europe/London, found %d"
            % len(tzs))
        return
    tz = tzs[0]
    want = {
        "DAYLIGHT": ("+0000", "+0100", "BST", 3),
        "STANDARD": ("+0100", "+0000", "GMT", 10),
    }
    for name, (frm, to, tzname, month) in want.items():
        subs = tz.walk(name)
        if len(subs) != 1:
            err("VTIMEZONE: expected one %s, found %d" % (name, len(subs)))
            continue
        s = subs[0]
        if raw_value(s["TZOFFSETFROM"]) != frm or \
                raw_value(s["TZOFFSETTO"]) != to:
            err("%s: offsets %s -> %s, want %s -> %s" % (
                name, raw_value(s["TZOFFSETFROM"]),
                raw_value(s["TZOFFSETTO"]), frm, to))
        if str(s.get("TZNAME")) != tzname:
            err("%s: TZNAME %s, want %s" % (name, s.get("TZNAME"), tzname))
        rule = s.get("RRULE")
        if rule is None:
            err("%s: no RRULE" % name)
            continue
        r = raw_value(rule)
        if "FREQ=YEARLY" not in r or "BYMONTH=%d" % month not in r or \
                "BYDAY=-1SU" not in r:
            err("%s: RRULE %s is not the last Sunday of month %d"
                % (name, r, month))
        # The rule must give the real transitions, e.g. in 2026.
        start = s.decoded("DTSTART")
        first = rrulestr(r, dtstart=start).after(datetime.datetime(2026, 1, 1))
        real = datetime.datetime(2026, 3, 29, 1) if month == 3 else \
            datetime.datetime(2026, 10, 25, 2)
        if first != real:
            err("%s: 2026 change at %s, want %s" % (name, first, real))


def fmt(dt):
    if isinstance(dt, datetime.datetime):
        return dt.strftime("%Y-%m-%d %a %H:%M %z")
    return dt.strftime("%Y-%m-%d %a")


def check_event(ev, uids, n):
    out = {}
    for p in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
        if ev.get(p) is None:
            err("VEVENT without %s" % p)
            return None
    uid = str(ev["UID"])
    if uid in uids:
        err("UID %s used twice" % uid)
    uids.add(uid)
    out["uid"] = uid
    if not raw_value(ev["DTSTAMP"]).endswith("Z"):
        err("%s: DTSTAMP %s is not UTC" % (uid, raw_value(ev["DTSTAMP"])))
    ds = ev["DTSTART"]
    raw = raw_value(ds)
    if "T" in raw:
        if ds.params.get("TZID") != "Europe/London":
            err("%s: DTSTART TZID is %r, want Europe/London"
                % (uid, ds.params.get("TZID")))
        start = datetime.datetime.strptime(raw, "%Y%m%dT%H%M%S") \
            .replace(tzinfo=LONDON)
    else:
        if ds.params.get("VALUE") != "DATE":
            err("%s: DTSTART %s is neither a date-time nor VALUE=DATE"
                % (uid, raw))
        # dateutil expands dates as midnight date-times.
        start = datetime.datetime.strptime(raw, "%Y%m%d")
    out["dtstart"] = fmt(start if "T" in raw else start.date())
    if ev.get("DTEND") is not None:
        de = ev["DTEND"]
        rawe = raw_value(de)
        if ("T" in rawe) != ("T" in raw):
            err("%s: DTSTART and DTEND are of different types" % uid)
        elif "T" in rawe:
            if de.params.get("TZID") != "Europe/London":
                err("%s: DTEND TZID is %r" % (uid, de.params.get("TZID")))
            end = datetime.datetime.strptime(rawe, "%Y%m%dT%H%M%S") \
                .replace(tzinfo=LONDON)
            out["minutes"] = int((end - start).total_seconds() // 60)
        else:
            end = datetime.datetime.strptime(rawe, "%Y%m%d")
            out["days"] = (end - start).days
        if end <= start:
            err("%s: DTEND is not after DTSTART" % uid)
    for p in ("SUMMARY", "LOCATION", "DESCRIPTION", "URL"):
        if ev.get(p) is not None:
            out[p.lower()] = str(ev[p])
    rule = ev.get("RRULE")
    if rule is None:
        out["occurrences"] = [out["dtstart"]]
        return out
    r = raw_value(rule)
    out["rrule"] = r
    if "UNTIL=" in r and "T" in raw:
        until = r.split("UNTIL=")[1].split(";")[0]
        if not until.endswith("Z"):
            err("%s: UNTIL %s must be UTC with a date-time DTSTART"
                % (uid, until))
    try:
        rs = rrulestr(r, dtstart=start)
    except (ValueError, TypeError) as e:
        err("%s: RRULE %s does not parse: %s" % (uid, r, e))
        return out
    occ = list(islice(iter(rs), n))
    if not occ or occ[0] != start:
        err("%s: DTSTART %s is not the rule's first occurrence (%s)"
            % (uid, start, occ[0] if occ else "none"))
    dated = (lambda d: d) if "T" in raw else (lambda d: d.date())
    out["occurrences"] = [fmt(dated(d)) for d in occ]
    if "UNTIL=" in r or "COUNT=" in r:
        every = list(rs)
        out["count"] = len(every)
        out["last"] = fmt(dated(every[-1])) if every else None
    return out


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 6
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    lines = check_octets(raw)
    if not lines or lines[0] != b"BEGIN:VCALENDAR" or \
            lines[-1] != b"END:VCALENDAR":
        err("not a VCALENDAR from first to last line")
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except ValueError as e:
        err("icalendar cannot parse it: %s" % e)
        cal = None
    result = {"events": []}
    if cal is not None:
        if str(cal.get("VERSION")) != "2.0":
            err("VERSION is %r, want 2.0" % cal.get("VERSION"))
        if not cal.get("PRODID"):
            err("no PRODID")
        for p in ("X-WR-CALNAME", "NAME", "DESCRIPTION"):
            if cal.get(p) is not None:
                result[p.lower().replace("-", "_")] = str(cal[p])
        check_timezone(cal)
        uids = set()
        for ev in cal.walk("VEVENT"):
            e = check_event(ev, uids, n)
            if e is not None:
                result["events"].append(e)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    for e in errors:
        print("check_ics: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
