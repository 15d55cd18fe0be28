"""The load test: gunicorn (2 workers) serving the dealer list API, hit by `wrk` when
installed, else by a small Python load generator (threads, one connection per
request), at concurrency 8; and the workers' peak memory (VmHWM from /proc)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    result = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            result.append(int(entry.name))
    return result


def _status_kb(pid: int, key: str) -> int:
    """A /proc/<pid>/status figure in kB; 0 once the process has gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _wait_ready(port: int, path: str, headers: dict, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
            raise RuntimeError(f"gunicorn answered {response.status} to {path}")
        except (ConnectionRefusedError, OSError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _python_load(port: int, path: str, headers: dict, *, concurrency: int, duration: float) -> dict:
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    stop = time.monotonic() + duration

    def worker(slot: int) -> None:
        conn = None
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[slot] += 1
                if response.getheader("Connection", "").lower() == "close" or response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                conn = None
                continue
            latencies[slot].append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(value for values in latencies for value in values)
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))] if every else None
    return {
        "tool": "python threads (wrk not installed)", "requests": len(every), "errors": sum(errors),
        "rps": round(len(every) / elapsed, 1), "p99_ms": round(p99, 1) if p99 else None,
        "median_ms": round(statistics.median(every), 1) if every else None,
    }


def _wrk_load(port: int, path: str, token: str, *, concurrency: int, duration: float) -> dict:
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{int(duration)}s", "--latency",
               "-H", f"Authorization: Token {token}", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99_match = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    p99 = float(p99_match.group(1)) * scale[p99_match.group(2)] if p99_match else None
    total = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"tool": "wrk", "requests": int(total.group(1)) if total else None,
            "errors": int(errors.group(1)) if errors else 0, "rps": rps, "p99_ms": round(p99, 1) if p99 else None}


def run_load(*, token: str, path: str = "/api/v1/dealers/?page_size=50", concurrency: int = 8,
             duration: float = 15, workers: int = 2) -> tuple[dict, dict]:
    """(load figures, memory figures) of gunicorn serving `path` under load."""
    port = _free_port()
    env = dict(os.environ)
    command = [sys.executable, "-m", "gunicorn", "dealer_crm.wsgi:application", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--access-logfile", "/dev/null"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}
    try:
        _wait_ready(port, path, headers)
        # Warm both workers up.
        _python_load(port, path, headers, concurrency=workers * 2, duration=2)
        if shutil.which("wrk"):
            load = _wrk_load(port, path, token, concurrency=concurrency, duration=duration)
        else:
            load = _python_load(port, path, headers, concurrency=concurrency, duration=duration)
        pids = _children(server.pid)
        peaks = [_status_kb(pid, "VmHWM") / 1024 for pid in pids]
        current = [_status_kb(pid, "VmRSS") / 1024 for pid in pids]
        memory = {"workers": len(pids), "peak_rss_mb": round(max(peaks), 1) if peaks else None,
                  "rss_mb_now": [round(value, 1) for value in current], "source": "/proc/<worker>/status VmHWM"}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    load.update({"concurrency": concurrency, "duration_s": duration, "workers": workers, "path": path})
    return load, memory
