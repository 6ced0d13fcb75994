#!/usr/bin/env python3
"""Writes N run records (docs/report.md, schema 1) under OUT, as a migration's
log share would hold them: OUT/<day>/<host>_<user>_<n>.record.json.

The mix (fixed seed, so every run of the bench reads the same share): a
fleet of N/5 machines with one user each, over 30 days; most records are
logon reruns of profiles already switched (status 2, no feature rows), a
fifth are first switches (status 10, the 20 feature rows of a real update),
and the rest the failures of the guide's troubleshooting table (status 4
with its TraceW lines, 11, 18), rollbacks (12), no switch information (0).
"""
import json
import os
import random
import sys

FEATURES = ["AddBoxes", "CONTAB", "ContactMembers", "Delegates", "MoveToFolder", "Nicks",
            "OtherUsersFolders", "PublicFav", "Rules", "SRS", "SearchFolders", "Services",
            "Shortcuts", "UserNames", "Favorites", "Calendar", "Contacts", "Tasks", "Notes",
            "Journal"]
FAILS = [
    (4, [("TraceW", "WinHTTP result: 0x00002efd, Description: A connection with the server could not be established"),
         ("Error", "Cannot get an Autodiscover response on source. See logged errors to resolve the issue. Profile will not be processed.")]),
    (4, [("TraceW", "Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received."),
         ("Error", "Cannot get an Autodiscover response on target. See logged errors to resolve the issue. Profile will not be processed.")]),
    (4, [("Warning", "User LegacyExchangeDN properties are different: from the source Autodiscover response: '/o=A/cn=x', from the profile: '/o=B/cn=x'."),
         ("Error", "Cannot get an Autodiscover response on source. See logged errors to resolve the issue. Profile will not be processed.")]),
    (11, [("Error", "Profile 'Outlook' was not updated: LDAP search of the source directory failed: Can't contact LDAP server")]),
    (18, [("Error", "Cannot open the target mailbox 'u@target.example' for profile 'Outlook': ErrorCode 0x80070005 (ecAccessDenied)")]),
]


def record(rng, host, user, day, n):
    r = rng.random()
    feats, msgs, mode = [], [], "update"
    if r < 0.62:
        status, code = 2, 0
    elif r < 0.82:
        status, code = 10, 1
        feats = [{"feature": f, "mode": "process", "critical": False,
                  "status": rng.choice(["done", "done", "done", "needs_mailbox", "unavailable"]),
                  "found": rng.randint(0, 9), "changed": rng.randint(0, 9), "kept": 0,
                  "removed": 0, "message": "none in the profile"} for f in FEATURES]
    elif r < 0.90:
        status, m = rng.choice(FAILS)
        code = 4
        msgs = [{"level": lv, "text": t} for lv, t in m]
    elif r < 0.93:
        status, code, mode = 12, 1, "rollback"
    else:
        status, code = 0, 2
    ms = rng.randint(150, 4000) if status != 2 else rng.randint(40, 300)
    return {
        "schema": 1, "host": host, "user": user,
        "time": "2026-11-%02dT%02d:%02d:%02dZ" % (1 + day, rng.randint(6, 10),
                                                   rng.randint(0, 59), rng.randint(0, 59)),
        "version": "0.1.0", "mode": mode, "duration_ms": ms + 20, "exit_code": code,
        "exit_bits": "CPUU_SUCCESS", "complete": True,
        "profiles": [{
            "name": "Outlook", "outlook": "16.0", "status": status, "status_name": "x",
            "previous": 0, "previous_name": "x",
            "source": user + "@source.example", "target": user + "@target.example",
            "duration_ms": ms, "features": feats, "messages": msgs}],
        "messages": []}


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(15)
    machines = max(1, n // 5)
    total = 0
    for i in range(n):
        m = rng.randrange(machines)
        host, user = "PC%05d" % m, "user%05d" % m
        day = rng.randrange(30)
        d = os.path.join(out, "2026-11-%02d" % (1 + day))
        os.makedirs(d, exist_ok=True)
        s = json.dumps(record(rng, host, user, day, i), indent=2)
        with open(os.path.join(d, "%s_%s_%06d.record.json" % (host, user, i)), "w") as f:
            f.write(s + "\n")
        total += len(s) + 1
    print("%d records, %d machines, %.1f MB" % (n, machines, total / 1e6))


if __name__ == "__main__":
    main()
