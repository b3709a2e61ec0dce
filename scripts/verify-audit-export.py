#!/usr/bin/env python3
"""Re-verifies a `docket audit export` (JSON Lines on stdin) without Docket, as docs/audit.md
describes: for each event, canonical bytes = RFC 8785 JSON of its seq, case, case_seq, type, at,
actor and payload; hash = SHA-256(prev_hash bytes || canonical bytes), and the same with
case_prev_hash for case_hash. With --admin, an export of the administrative log
(`docket audit export --admin`): canonical bytes of seq, type, at, actor and payload, one chain.
Every payload must be written in that canonical form already, as `docket audit verify` requires.
Exit 0 when every hash matches and the chains link up."""
import hashlib
import json
import re
import sys

ZERO = "0" * 64
FIELDS = ("seq", "case", "case_seq", "type", "at", "actor", "payload")
ADMIN_FIELDS = ("seq", "type", "at", "actor", "payload")


def canonical_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def canonical(event, fields=FIELDS):
    return canonical_json({key: event[key] for key in fields})


DECODER = json.JSONDecoder()
BETWEEN = re.compile(r"[ \t\r\n]*[,:]?[ \t\r\n]*")


def stored_payload(line):
    """The member "payload" of the JSON object on `line`, as the text it was written in."""
    index = BETWEEN.match(line, line.index("{") + 1).end()
    while line[index] != "}":
        key, index = DECODER.raw_decode(line, index)
        start = BETWEEN.match(line, index).end()
        value, index = DECODER.raw_decode(line, start)
        if key == "payload":
            return line[start:index], value
        index = BETWEEN.match(line, index).end()
    sys.exit("a line has no payload")


def check_payload_form(line, where):
    """The export carries each payload as stored; the chains hash it as stored, so it must be
    canonical already (docs/audit.md), as `docket audit verify` also requires."""
    text, value = stored_payload(line)
    if text.encode("utf-8") != canonical_json(value):
        sys.exit(f"{where}: payload is not in canonical form (docs/audit.md)")


def main_admin():
    previous = ZERO
    count = 0
    for number, line in enumerate(sys.stdin, 1):
        event = json.loads(line)
        where = f"line {number} (administrative event {event['seq']})"
        check_payload_form(line, where)
        if event["seq"] != number:
            sys.exit(f"{where}: expected sequence {number}")
        if event["prev_hash"] != previous:
            sys.exit(f"{where}: prev_hash does not link to the previous event")
        data = canonical(event, ADMIN_FIELDS)
        if hashlib.sha256(bytes.fromhex(event["prev_hash"]) + data).hexdigest() != event["hash"]:
            sys.exit(f"{where}: hash does not match the event")
        previous = event["hash"]
        count += 1
    print(f"{count} administrative events verified")


def main():
    if "--admin" in sys.argv[1:]:
        return main_admin()
    whole_log = "--case" not in sys.argv[1:]
    previous = ZERO
    case_previous = {}
    count = 0
    for number, line in enumerate(sys.stdin, 1):
        event = json.loads(line)
        where = f"line {number} ({event['case']} #{event['case_seq']})"
        check_payload_form(line, where)
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
