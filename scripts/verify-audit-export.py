#!/usr/bin/env python3
"""Re-verifies a `docket audit export` (JSON Lines on stdin) without Docket, as docs/audit.md
describes: for each event, canonical bytes = RFC 8785 JSON of its seq, case, case_seq, type, at,
actor and payload; hash = SHA-256(prev_hash bytes || canonical bytes), and the same with
case_prev_hash for case_hash. Exit 0 when every hash matches and the chains link up."""
import hashlib
import json
import sys

ZERO = "0" * 64
FIELDS = ("seq", "case", "case_seq", "type", "at", "actor", "payload")


def canonical(event):
    body = {key: event[key] for key in FIELDS}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def main():
    whole_log = "--case" not in sys.argv[1:]
    previous = ZERO
    case_previous = {}
    count = 0
    for number, line in enumerate(sys.stdin, 1):
        event = json.loads(line)
        where = f"line {number} ({event['case']} #{event['case_seq']})"
        data = canonical(event)
        if whole_log and event["prev_hash"] != previous:
            sys.exit(f"{where}: prev_hash does not link to the previous event")
        if event["case_prev_hash"] != case_previous.get(event["case"], ZERO):
            sys.exit(f"{where}: case_prev_hash does not link to the case's previous event")
        if hashlib.sha256(bytes.fromhex(event["prev_hash"]) + data).hexdigest() != event["hash"]:
            sys.exit(f"{where}: hash does not match the event")
        if hashlib.sha256(bytes.fromhex(event["case_prev_hash"]) + data).hexdigest() != event["case_hash"]:
            sys.exit(f"{where}: case_hash does not match the event")
        previous = event["hash"]
        case_previous[event["case"]] = event["case_hash"]
        count += 1
    print(f"{count} events verified")


if __name__ == "__main__":
    main()
