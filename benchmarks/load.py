"""The load test: gunicorn (2 workers) serving, one after the other, the dealer list
API, the order list API (a token) and the region scorecard page (a session cookie),
each hit by `wrk` when installed, else by a small Python load generator (threads,
one connection per request), at concurrency 8; and the workers' peak memory
(VmHWM from /proc) after all of them."""

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
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Target:
    """One URL under load and how it authenticates (the same way as its timed case)."""

    name: str
    path: str
    headers: dict  # e.g. {"Authorization": "Token ..."} or {"Cookie": "sessionid=..."}


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


def _wrk_load(port: int, path: str, headers: dict, *, concurrency: int, duration: float) -> dict:
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{int(duration)}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    scale = {"us": 0.001, "ms": 1, "s": 1000}

    def latency(label: str) -> float | None:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output)
        return round(float(match.group(1)) * scale[match.group(2)], 1) if match else None

    total = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"tool": "wrk", "requests": int(total.group(1)) if total else None,
            "errors": int(errors.group(1)) if errors else 0, "rps": rps, "p99_ms": latency("99"),
            "median_ms": latency("50")}


def run_load(*, targets: list[Target], port: int | None = None, concurrency: int = 8, duration: float = 15,
             workers: int = 2) -> tuple[dict[str, dict], dict]:
    """({target name: load figures}, memory figures) of one gunicorn serving each target
    under load in turn, on `port` (a free one if None)."""
    port = port or _free_port()
    with socket.socket() as sock:  # another server there would be measured instead of ours
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds (a closed run's TIME_WAIT is fine)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise RuntimeError(f"Port {port} is in use ({error}); give another with --port.") from error
    env = dict(os.environ)
    command = [sys.executable, "-m", "gunicorn", "dealer_crm.wsgi:application", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--access-logfile", "/dev/null"]
    # gunicorn's own log goes to a file, read on failure: a pipe nobody reads can fill up and block it.
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            results = {target.name: _serve(server, errors, target, port=port, concurrency=concurrency,
                                           duration=duration, workers=workers) for target in targets}
            pids = _children(server.pid)
            peaks = [_status_kb(pid, "VmHWM") / 1024 for pid in pids]
            current = [_status_kb(pid, "VmRSS") / 1024 for pid in pids]
            memory = {"workers": len(pids), "peak_rss_mb": round(max(peaks), 1) if peaks else None,
                      "rss_mb_now": [round(value, 1) for value in current], "source": "/proc/<worker>/status VmHWM",
                      "after": [target.name for target in targets]}
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    return results, memory


def _serve(server: subprocess.Popen, errors, target: Target, *, port: int, concurrency: int, duration: float,
           workers: int) -> dict:
    """The load figures of one target on the running gunicorn."""
    headers = {**target.headers, "Host": "127.0.0.1"}
    try:
        _wait_ready(port, target.path, headers)
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode})")
    except RuntimeError as error:
        errors.seek(0)
        raise RuntimeError(f"{target.name}: {error}\n{errors.read()[-2000:].decode(errors='replace')}") from error
    # Warm both workers up.
    _python_load(port, target.path, headers, concurrency=workers * 2, duration=2)
    if shutil.which("wrk"):
        load = _wrk_load(port, target.path, target.headers, concurrency=concurrency, duration=duration)
    else:
        load = _python_load(port, target.path, headers, concurrency=concurrency, duration=duration)
    load.update({"concurrency": concurrency, "duration_s": duration, "workers": workers, "path": target.path,
                 "port": port})
    return load
