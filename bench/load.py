"""wrk runs: each script ends with a `done` that prints one JSON line the bench reads back.

Latencies come from wrk's own histogram (microseconds), except in the sign-in mix, where each wrk thread
holds one connection and times its requests itself, so page views and sign-ins get separate figures.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

WRK = shutil.which("wrk") or "/usr/bin/wrk"
MARK = "BENCH_JSON "

REPORT = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""

# A fixed body (a SOAP envelope) POSTed as is: the ERP's own time for one call.
POST_FILE = r"""
function init(args)
  local file = io.open(args[1], "rb")
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
  wrk.headers["SOAPAction"] = args[2]
end
""" + REPORT

# Many customers, several pages each: request k goes to customer k mod N, page (k div N) mod P;
# each thread stops after its share of the total when a total is given.
ROTATE = r"""
local cookies, paths, limit, count, n, id, threads_total = {}, {}, 0, 0, 0, 0, 1
local setup_index = 0
function setup(thread)
  thread:set("id", setup_index)
  setup_index = setup_index + 1
end
function init(args)
  for line in io.lines(args[1]) do cookies[#cookies + 1] = line end
  for path in string.gmatch(args[2], "[^,]+") do paths[#paths + 1] = path end
  limit = tonumber(args[3])
  threads_total = tonumber(args[4])
  stop_file = args[5]
  if args[6] == "close" then connection = "close" else connection = "keep-alive" end
end
function request()
  local k = n * threads_total + id
  n = n + 1
  local cookie = cookies[(k % #cookies) + 1]
  local path = paths[(math.floor(k / #cookies) % #paths) + 1]
  return wrk.format("GET", path, {["Cookie"] = "ibok_session=" .. cookie, ["User-Agent"] = "ibok-bench",
                                  ["Connection"] = connection})
end
function response(status, headers, body)
  count = count + 1
  if limit > 0 and count == limit then
    local marker = io.open(stop_file, "a")
    marker:write("stopped\n")
    marker:close()
    wrk.thread:stop()
  end
end
""" + REPORT

# 1 request in EVERY is a sign-in, the others a page view; one connection per thread, timed here.
MIX = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *out);
]]
local now_ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, now_ts)
  return tonumber(now_ts.tv_sec) * 1000000 + tonumber(now_ts.tv_nsec) / 1000
end
local page_request, sign_in_request, sign_in_args, every, started, kind = nil, nil, nil, 20, 0, "p"
-- Globals, so setup() can give each thread its own: the request count starts at the thread's number (the users'
-- sign-ins fall apart in time) and the user's number picks their customer.
n, user = 0, 0
pages, sign_ins, bad = {}, {}, 0
local threads, setup_index = {}, 0
function setup(thread)
  thread:set("n", setup_index)
  thread:set("user", setup_index)
  setup_index = setup_index + 1
  table.insert(threads, thread)
end
function init(args)
  page_request = wrk.format("GET", args[1], {["Cookie"] = "ibok_session=" .. args[2], ["User-Agent"] = "ibok-bench"})
  sign_in_args = args
  every = tonumber(args[5])
end
-- Each user (one per thread) signs in as a customer of their own: the form's LOGIN becomes args[6] plus the
-- user's number. Built at the first sign-in, as setup() numbers the threads only after init() has run.
function own_sign_in()
  local args = sign_in_args
  local body = args[4]:gsub("LOGIN", args[6] .. tostring(tonumber(args[7]) + user))
  sign_in_request = wrk.format("POST", "/sign-in", {
    ["Cookie"] = "ibok_session=" .. args[3], ["User-Agent"] = "ibok-bench",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  return sign_in_request
end
function request()
  n = n + 1
  kind = (n % every == 0) and "s" or "p"
  started = now_us()
  if kind == "s" then return sign_in_request or own_sign_in() end
  return page_request
end
function response(status, headers, body)
  local took = now_us() - started
  if kind == "s" then
    sign_ins[#sign_ins + 1] = took
    if status ~= 302 then bad = bad + 1 end
  else
    pages[#pages + 1] = took
    if status ~= 200 then bad = bad + 1 end
  end
end
local function percentile(values, p)
  if #values == 0 then return 0 end
  table.sort(values)
  return values[math.max(1, math.ceil(#values * p / 100))]
end
function done(summary, latency, requests)
  local all_pages, all_sign_ins, all_bad = {}, {}, 0
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("pages")) do all_pages[#all_pages + 1] = v end
    for _, v in ipairs(thread:get("sign_ins")) do all_sign_ins[#all_sign_ins + 1] = v end
    all_bad = all_bad + thread:get("bad")
  end
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "pages": %d, "sign_ins": %d, "bad_status": %d, '
    .. '"errors": %d, "page_p50_us": %d, "page_p95_us": %d, "sign_in_p50_us": %d, "sign_in_p95_us": %d}\n',
    summary.requests, summary.duration, #all_pages, #all_sign_ins, all_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    percentile(all_pages, 50), percentile(all_pages, 95),
    percentile(all_sign_ins, 50), percentile(all_sign_ins, 95)))
end
"""


@dataclass(frozen=True)
class Run:
    """One wrk run: the command as typed, and what its script reported (times in milliseconds)."""

    command: str
    result: dict[str, float]

    @property
    def rps(self) -> float:
        return self.result["requests"] / (self.result["duration_us"] / 1e6)

    def ms(self, key: str) -> float:
        return self.result[f"{key}_us"] / 1000


def script(workdir: Path, name: str, text: str) -> Path:
    path = workdir / f"{name}.lua"
    path.write_text(text if "BENCH_JSON" in text else text + REPORT)
    return path


def wrk(url: str, *, connections: int, threads: int, seconds: float, lua: Path, args: Sequence[str] = (),
        headers: Sequence[str] = (), timeout: float = 10.0, shown_args: Sequence[str] | None = None,
        stop_file: Path | None = None) -> Run:
    """Run wrk and return its JSON report; the command is kept (without cookies) for BENCHMARKS.md.

    With `stop_file`, wrk is interrupted (it still reports) once every thread has written its line there:
    wrk itself always waits out its duration.
    """
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", f"--timeout={timeout:g}s", "-s", str(lua)]
    for header in headers:
        command += ["-H", header]
    command += [url, "--", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if stop_file is not None:
        while process.poll() is None:
            if stop_file.exists() and len(stop_file.read_text().splitlines()) >= threads:
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.2)
    stdout, stderr = process.communicate()
    lines = [line for line in stdout.splitlines() if line.startswith(MARK)]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({process.returncode}): {stdout[-2000:]} {stderr[-2000:]}")
    base = command[1:len(command) - len(args)]
    shown = ["Cookie: ibok_session=…" if part.startswith("Cookie:") else "Authorization: …"
             if part.startswith("Authorization:") else Path(part).name if part.endswith(".lua")
             else part for part in base]
    shown += list(shown_args if shown_args is not None else args)
    return Run("wrk " + " ".join(shown), json.loads(lines[-1][len(MARK):]))
