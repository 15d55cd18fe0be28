#!/usr/bin/env python3
"""make faults: the stack under faults and load, with servers of its own (issue #13).

It never touches the machine's shared PostgreSQL or Redis: it starts its own
PostgreSQL cluster (initdb in a temporary folder, its own port) and its own
redis-server (its own port), seeds the demo world there, and runs gunicorn and a
Celery worker against them. Then, with figures printed as one JSON object:

1. load: `wrk -c32` on the dealer list API (token) and on a rep's visit page
   (session) under gunicorn → errors (non-2xx and socket errors) must be 0;
2. Redis stopped for --outage seconds while users work (reading lists, asking
   the manufacturer questions that notify people by email) → no failed request;
   once Redis is back, every notification's email and every visit reminder is
   delivered, each exactly once (the beat's catch-up tasks are published as the
   beat would);
3. beat running twice: the reminder task published twice at once → each reminder once;
4. a Celery task redelivered after a worker crash (acks_late) → no second email;
5. PostgreSQL restarted (pg_ctl restart -m fast) under gunicorn and the worker →
   the next requests and tasks succeed, without restarting the app.

Exit status 1 when any figure misses its mark. Options: --outage SECONDS (60),
--load-seconds SECONDS (60), --connections N (32), --keep (leave the temp folder).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(os.environ.get("VENV", ROOT / ".venv")) / "bin" / "python")
VENV_BIN = Path(PYTHON).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "demo-pass-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Stack:
    """Own PostgreSQL, own Redis, gunicorn and a Celery worker, all on free ports."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pg_data = folder / "pgdata"
        self.mail = folder / "mail"
        self.mail.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: list = []
        self.as_postgres = os.geteuid() == 0
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/dealer_crm_faults",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "faults-only-secret-key",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "NOTIFICATION_EMAIL_RETRY_AFTER": "3",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DEALER_CRM_VAR_DIR": str(folder / "var"),
            "LOG_LEVEL": "WARNING",
        }
        self.base = f"http://127.0.0.1:{self.web_port}"

    def _log(self, name: str):
        """A log file for a child process (kept open for its life, closed with the folder)."""
        handle = (self.folder / name).open("ab")
        self.logs.append(handle)
        return handle

    # --- PostgreSQL ---------------------------------------------------------------------------
    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def start_postgres(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
            os.chmod(self.folder, 0o755)
        self._pg("initdb", "-D", str(self.pg_data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._pg("pg_ctl", "-D", str(self.pg_data), "-l", str(self.folder / "postgres.log"), "-w", "-o",
                 f"-p {self.pg_port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        subprocess.run([str(PG_BIN / "createdb") if (PG_BIN / "createdb").exists() else "createdb",
                        "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "dealer_crm_faults"], check=True)

    def restart_postgres(self) -> float:
        started = time.monotonic()
        # -l: the new server writes to its log, not to our pipe (which would never close).
        self._pg("pg_ctl", "-D", str(self.pg_data), "-l", str(self.folder / "postgres.log"), "-w", "-m", "fast",
                 "restart", "-o", f"-p {self.pg_port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off")
        return time.monotonic() - started

    # --- Redis ---------------------------------------------------------------------------------
    def start_redis(self) -> None:
        self.processes["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=self._log("redis.log"), stderr=subprocess.STDOUT,
        )
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.2):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        process = self.processes.pop("redis")
        process.terminate()
        process.wait(timeout=10)

    # --- The app -------------------------------------------------------------------------------
    def manage(self, *args: str, code: str | None = None) -> str:
        command = [PYTHON, "manage.py", *args] + (["-c", code] if code else [])
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600)
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def query(self, code: str):
        """Run Python in the app (manage.py shell) and read back the JSON it prints last."""
        out = self.manage("shell", code=code)
        return json.loads(out.strip().splitlines()[-1])

    def start_app(self) -> None:
        self.processes["gunicorn"] = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "dealer_crm.wsgi", "-b", f"127.0.0.1:{self.web_port}", "-w", "2",
             "-k", "gthread", "--threads", "4", "--timeout", "60", "--access-logfile", str(self.folder / "access.log")],
            cwd=ROOT, env=self.env, stdout=self._log("gunicorn.log"), stderr=subprocess.STDOUT,
        )
        self.processes["worker"] = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "dealer_crm", "worker", "--concurrency", "2", "--loglevel", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=self._log("worker.log"), stderr=subprocess.STDOUT,
        )
        for _ in range(120):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=2)
                return
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        for name, process in list(self.processes.items()):
            with contextlib.suppress(Exception):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=15)
            if process.poll() is None:
                process.kill()
            self.processes.pop(name, None)
        if (self.pg_data / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(self.pg_data), "-m", "immediate", "stop", check=False)
        for handle in self.logs:
            handle.close()

    # --- HTTP ----------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, token: str | None = None, body: dict | None = None,
                timeout: float = 30) -> int:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def token(self, username: str) -> str:
        request = urllib.request.Request(
            f"{self.base}/api/v1/auth/token/", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["token"]

    def mails(self) -> list[str]:
        """Every message the file-based email backend wrote (a file may hold several)."""
        messages = []
        for path in sorted(self.mail.glob("*.log")):
            messages += [m for m in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n") if "Message-ID:" in m]
        return messages

    def publish(self, task: str, *args) -> None:
        """Publish a task by name on the stack's broker, as the beat does.

        Celery reads CELERY_BROKER_URL from the environment BEFORE its `broker=`
        argument, and CI exports it (the suite's Redis on 6379): without setting it
        here the tasks went to that Redis and the stack's worker never saw them."""
        from celery import Celery

        url = self.env["CELERY_BROKER_URL"]
        previous = os.environ.get("CELERY_BROKER_URL")
        os.environ["CELERY_BROKER_URL"] = url
        try:
            with Celery(broker=url) as app:
                if app.conf.broker_url != url:
                    raise RuntimeError(f"publishing to {app.conf.broker_url}, not the stack's {url}")
                app.send_task(task, args=list(args))
        finally:
            if previous is None:
                os.environ.pop("CELERY_BROKER_URL", None)
            else:
                os.environ["CELERY_BROKER_URL"] = previous

    def sql(self, query: str, params=()):
        """The first column of every row of a query on the stack's database."""
        import psycopg2

        with contextlib.closing(psycopg2.connect(host="127.0.0.1", port=self.pg_port, user="postgres",
                                                 dbname="dealer_crm_faults")) as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return [row[0] for row in cursor.fetchall()]


# --- Scenarios ----------------------------------------------------------------------------------
def wrk(stack: Stack, path: str, header: str, seconds: int, connections: int) -> dict:
    """Run wrk and read its figures (requests, rate, p99, errors)."""
    if not shutil.which("wrk"):
        return {"path": path, "error": "wrk is not installed (apt-get install wrk)", "errors": 1}
    result = subprocess.run(
        ["wrk", f"-c{connections}", f"-d{seconds}s", "-t2", "--latency", "--timeout", "10s", "-H", header,
         f"{stack.base}{path}"], capture_output=True, text=True, timeout=seconds + 60,
    )
    out = result.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(n) for n in sockets.groups()) if sockets else 0
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)] if p99 else None
    return {
        "path": path, "seconds": seconds, "connections": connections, "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p99_ms": p99_ms,
        "non_2xx": non_2xx, "socket_errors": socket_errors, "errors": non_2xx + socket_errors,
    }


def load(stack: Stack, seconds: int, connections: int) -> dict:
    admin = stack.token("admin")
    session = stack.query(
        "import json; from django.contrib.sessions.backends.db import SessionStore; from accounts.models import User\n"
        "from visits.models import Visit\n"
        "user = User.objects.get(username='rep_zhang'); s = SessionStore()\n"
        "s['_auth_user_id'] = str(user.pk); s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = user.get_session_auth_hash(); s.create()\n"
        "visit = Visit.objects.filter(rep=user).order_by('-scheduled_for').first()\n"
        "print(json.dumps({'key': s.session_key, 'visit': visit.pk}))"
    )
    return {
        "dealer_list_api": wrk(stack, "/api/v1/dealers/", f"Authorization: Token {admin}", seconds, connections),
        "visit_page": wrk(stack, f"/visits/{session['visit']}/", f"Cookie: sessionid={session['key']}", seconds,
                          connections),
    }


def email_counts(stack: Stack) -> dict:
    """Notifications by email status (pending, sending, sent, none)."""
    rows = stack.sql("SELECT json_object_agg(email_status, n) FROM (SELECT email_status, count(*) AS n "
                     "FROM notifications_notification GROUP BY email_status) counts")
    return rows[0] or {}


def duplicate_notifications(stack: Stack) -> int:
    return stack.sql("SELECT count(*) FROM (SELECT 1 FROM notifications_notification "
                     "GROUP BY recipient_id, key HAVING count(*) > 1) doubled")[0]


def wait_for_emails(stack: Stack, timeout: float) -> dict:
    """Publish the beat's catch-up (as the 5-minute beat would) until nothing is pending."""
    deadline = time.monotonic() + timeout
    while True:
        counts = email_counts(stack)
        if not counts.get("pending") and not counts.get("sending"):
            return counts
        if time.monotonic() > deadline:
            return counts
        stack.publish("notifications.tasks.send_pending_emails")
        time.sleep(4)


def redis_outage(stack: Stack, outage: int) -> dict:
    """Users work through a Redis outage; afterwards every email goes out once."""
    dealer_token, rep_token, manager_token = stack.token("dealer_hz"), stack.token("rep_zhang"), stack.token("manager_zj")
    before = email_counts(stack)
    results: list[tuple[str, int]] = []
    stop = threading.Event()
    lock = threading.Lock()

    def user(name: str, actions) -> None:
        number = 0
        while not stop.is_set():
            for method, path, token, body in actions(number):
                try:
                    status = stack.request(method, path, token=token, body=body)
                except Exception as error:  # a refused or dropped connection is a failed request too
                    status = f"{type(error).__name__}"
                with lock:
                    results.append((f"{method} {path.split('?')[0]}", status))
            number += 1
            time.sleep(0.2)

    def dealer_user(number):
        return [("GET", "/api/v1/orders/", dealer_token, None),
                ("POST", "/api/v1/questions/", dealer_token,
                 {"subject": f"Outage question {number}", "body": "Is the delivery on time?"})]

    def rep(number):
        return [("GET", "/api/v1/dealers/", rep_token, None), ("GET", "/api/v1/visits/", rep_token, None),
                ("GET", "/api/v1/notifications/", rep_token, None)]

    def manager(number):
        return [("GET", "/api/v1/scorecards/region/", manager_token, None),
                ("GET", "/api/v1/questions/", manager_token, None)]

    threads = [threading.Thread(target=user, args=(name, actions), daemon=True)
               for name, actions in (("dealer", dealer_user), ("rep", rep), ("manager", manager))]
    for thread in threads:
        thread.start()
    time.sleep(5)
    log(f"stopping Redis for {outage} s")
    stack.stop_redis()
    stopped = time.monotonic()
    time.sleep(outage)
    stack.start_redis()
    log(f"Redis back after {time.monotonic() - stopped:.1f} s")
    time.sleep(10)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    failed = [(what, status) for what, status in results if not (isinstance(status, int) and status < 400)]
    worker_survived = stack.processes["worker"].poll() is None
    # Reminders derived from the database: the beat's tasks, published as the beat would after the outage.
    stack.publish("visits.tasks.send_visit_reminders")
    # Generous: on a loaded 2-core machine the worker needs a while to reconnect and catch up.
    waited = time.monotonic()
    counts = wait_for_emails(stack, timeout=max(180, outage * 3))
    waited = round(time.monotonic() - waited, 1)
    asked = stack.sql("SELECT count(*) FROM portal_question WHERE subject LIKE 'Outage question%%'")[0]
    duplicates = duplicate_notifications(stack)
    mails = len(stack.mails())
    return {
        "outage_seconds": outage, "worker_survived": worker_survived,
        "user_requests": len(results), "failed_user_requests": len(failed),
        "failed_examples": failed[:10], "questions_asked": asked, "emails_before": before, "emails_after": counts,
        "catch_up_seconds": waited,
        "emails_sent_total": mails, "emails_still_pending": counts.get("pending", 0) + counts.get("sending", 0),
        "duplicate_notifications": duplicates,
        # Thank-you emails of campaigns are mails too, so at least one mail per sent notification.
        "every_sent_notification_mailed": mails >= counts.get("sent", 0),
    }


def beat_twice(stack: Stack) -> dict:
    """Two beats publish the same reminder task at the same moment: each reminder once."""
    before = email_counts(stack)
    mails_before = len(stack.mails())
    for task in ("visits.tasks.send_visit_reminders", "promotions.tasks.run_follow_up_clock",
                 "dealers.tasks.contract_end_reminders"):
        for _ in range(2):
            stack.publish(task)
    time.sleep(8)
    after = wait_for_emails(stack, timeout=60)
    duplicates = duplicate_notifications(stack)
    new_notifications = sum(after.values()) - sum(before.values())
    new_mails = len(stack.mails()) - mails_before
    return {"new_notifications": new_notifications, "new_emails": new_mails, "duplicate_notifications": duplicates,
            "each_once": duplicates == 0 and new_mails == after.get("sent", 0) - before.get("sent", 0)}


def redelivery(stack: Stack) -> dict:
    """A task redelivered after a worker crash (acks_late) must not email twice."""
    notification = stack.query(
        "import json; from accounts.models import User; from notifications.services import notification_deliver\n"
        "from django.db import transaction\n"
        "user = User.objects.get(username='manager_zj')\n"
        "with transaction.atomic():\n"
        "    n = notification_deliver(recipient=user, key='faults:redelivery', title='Redelivery check', body='once')\n"
        "print(json.dumps(n.pk))"
    )
    time.sleep(3)
    for _ in range(2):  # the broker hands the same message out again after the crash
        stack.publish("notifications.tasks.send_notification_email", notification)
    time.sleep(5)
    wait_for_emails(stack, timeout=30)
    copies = sum("Redelivery check" in mail for mail in stack.mails())
    return {"notification": notification, "emails_sent": copies, "no_double_effect": copies == 1}


def postgres_restart(stack: Stack) -> dict:
    """Restart PostgreSQL under the running app: the next requests and tasks succeed."""
    token = stack.token("rep_zhang")
    warm = [stack.request("GET", "/api/v1/dealers/", token=token) for _ in range(8)]  # every worker holds a connection
    restart_seconds = stack.restart_postgres()
    after = []
    for _ in range(20):
        try:
            after.append(stack.request("GET", "/api/v1/dealers/", token=token))
        except Exception as error:
            after.append(type(error).__name__)
    failed = [status for status in after if status != 200]
    mails_before = len(stack.mails())
    stack.query(
        "import json; from accounts.models import User; from notifications.services import notification_deliver\n"
        "from django.db import transaction\nuser = User.objects.get(username='rep_zhang')\n"
        "with transaction.atomic():\n"
        "    n = notification_deliver(recipient=user, key='faults:after-restart', title='After restart', body='x')\n"
        "print(json.dumps(n.pk))"
    )
    deadline = time.monotonic() + 30
    while len(stack.mails()) == mails_before and time.monotonic() < deadline:
        time.sleep(1)
    return {
        "warm_requests_ok": sum(status == 200 for status in warm), "restart_seconds": round(restart_seconds, 1),
        "requests_after_restart": len(after), "failed_after_restart": len(failed), "failed_examples": failed[:5],
        "worker_task_after_restart_ok": len(stack.mails()) > mails_before,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outage", type=int, default=int(os.environ.get("FAULTS_OUTAGE", 60)))
    parser.add_argument("--load-seconds", type=int, default=int(os.environ.get("FAULTS_LOAD_SECONDS", 60)))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, mails)")
    args = parser.parse_args()

    def give_up(signum, frame):
        raise TimeoutError("the fault run took too long")

    # A bounded run, whatever hangs: setup, two loads, the outage and the checks.
    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(1200 + 2 * args.load_seconds + 3 * args.outage)
    folder = Path(tempfile.mkdtemp(prefix="dealer-crm-faults-"))
    stack = Stack(folder)
    figures: dict = {"folder": str(folder)}
    try:
        log(f"own PostgreSQL on {stack.pg_port}, own Redis on {stack.redis_port}, gunicorn on {stack.web_port}")
        stack.start_postgres()
        stack.start_redis()
        started = time.monotonic()
        stack.manage("migrate", "--noinput")
        stack.manage("seed_demo")
        figures["setup_seconds"] = round(time.monotonic() - started, 1)
        stack.start_app()
        log("load")
        figures["load"] = load(stack, args.load_seconds, args.connections)
        log("Redis outage")
        figures["redis_outage"] = redis_outage(stack, args.outage)
        log("beat twice")
        figures["beat_twice"] = beat_twice(stack)
        log("redelivery after a crash")
        figures["task_redelivered"] = redelivery(stack)
        log("PostgreSQL restart")
        figures["postgres_restart"] = postgres_restart(stack)
    except (Exception, KeyboardInterrupt) as error:
        figures["error"] = f"{type(error).__name__}: {error}"
    finally:
        stack.stop()

    load_figures = figures.get("load", {})
    outage = figures.get("redis_outage", {})
    misses = [
        name for name, missed in (
            ("error", "error" in figures),
            ("load_dealer_list", load_figures.get("dealer_list_api", {}).get("errors", 1) != 0),
            ("load_visit_page", load_figures.get("visit_page", {}).get("errors", 1) != 0),
            ("redis_outage_failed_requests", outage.get("failed_user_requests", 1) != 0),
            ("redis_outage_worker_died", not outage.get("worker_survived", False)),
            ("redis_outage_emails_pending", outage.get("emails_still_pending", 1) != 0),
            ("redis_outage_duplicates", outage.get("duplicate_notifications", 1) != 0),
            ("redis_outage_emails_mailed", not outage.get("every_sent_notification_mailed", False)),
            ("beat_twice", not figures.get("beat_twice", {}).get("each_once", False)),
            ("task_redelivered", not figures.get("task_redelivered", {}).get("no_double_effect", False)),
            ("postgres_restart_requests", figures.get("postgres_restart", {}).get("failed_after_restart", 1) != 0),
            ("postgres_restart_worker", not figures.get("postgres_restart", {}).get("worker_task_after_restart_ok", False)),
        ) if missed
    ]
    figures["marks_missed"] = misses
    if misses:  # what the services said, for whoever reads a red CI log
        for name in ("worker.log", "gunicorn.log", "redis.log"):
            path = folder / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-60:]
                print(f"--- last lines of {name}", *tail, sep="\n", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
