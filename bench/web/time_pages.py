#!/usr/bin/python3
"""Times the web application's inbox and case pages over HTTP, as a signed-in user, against a
running `docket serve`, by hand (bench/run times them in section 4; see docs/benchmarks.md, "Web pages").

Usage: time_pages.py BASE_URL PASSWORD NUMBERS_FILE USER[:inbox]...
  NUMBERS_FILE: case numbers to open, one a line (e.g. sqlite3 DB "select number from cases
  order by random() limit 100"); USER:inbox times only the inbox (a user who reads few of them).
"""
import sys
import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
base = sys.argv[1]
password = sys.argv[2]
def session(user):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/sign-in").read().decode()
    pre = re.search(r'name="pre" value="([^"]*)"', page).group(1)
    opener.open(base + "/sign-in", urllib.parse.urlencode({"pre": pre, "user": user, "password": password, "next": "/"}).encode()).read()
    return opener
def times(opener, paths, rounds=1):
    out, size = [], 0
    for _ in range(rounds):
        for p in paths:
            t = time.perf_counter(); body = opener.open(base + p).read(); out.append((time.perf_counter() - t) * 1000); size = max(size, len(body))
    out.sort()
    return out[len(out)//2], out[min(len(out)-1, int(len(out)*0.99))], size
numbers = open(sys.argv[3]).read().split()
for argument in sys.argv[4:]:
    user, _, only = argument.partition(":")
    o = session(user)
    times(o, ["/inbox"] * 3)  # warm
    print(user, "inbox p50/p99 ms, bytes:", "%.1f / %.1f, %d" % times(o, ["/inbox"] * 30))
    if only == "inbox":
        continue
    times(o, ["/cases/" + n for n in numbers[:10]])
    print(user, "case page p50/p99 ms, bytes:", "%.1f / %.1f, %d" % times(o, ["/cases/" + n for n in numbers]))
