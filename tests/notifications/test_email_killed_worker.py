"""A real worker process killed (SIGKILL) in the middle of an SMTP send loses no mail.

The worker is a separate ``celery worker`` process on the test's database and broker. Its mail
server accepts the connection and the message text, then never answers: the worker is killed
while it waits. The notification must still be unsent; once the claim expires, the sweep mails
it through a working server exactly once.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from notifications.domain.services import notify
from notifications.enums import NotificationKind
from notifications.models import Notification
from notifications.tasks import resend_pending_emails

ROOT = Path(__file__).resolve().parents[2]
CLAIM_SECONDS = 8

pytestmark = pytest.mark.worker


class HangingSMTP(threading.Thread):
    """Greets, takes EHLO/MAIL/RCPT/DATA and the message text, then never says 250."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.message_received = threading.Event()
        self.stop = threading.Event()

    def run(self):
        conn, _ = self.sock.accept()
        reader = conn.makefile("rb")
        conn.sendall(b"220 hang.local ESMTP\r\n")
        while not self.stop.is_set():
            line = reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while reader.readline() not in (b".\r\n", b""):
                    pass
                self.message_received.set()
                self.stop.wait()  # hang: the message is never accepted
                return
            if verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            conn.sendall(b"250 ok\r\n")

    def close(self):
        self.stop.set()
        self.sock.close()


class Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_worker(settings, smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "EMAIL_CLAIM_SECONDS": str(CLAIM_SECONDS),
        "QIANSHAN_WORKER_DB_NAME": str(connection.settings_dict["NAME"]),
        "QIANSHAN_WORKER_BROKER_URL": settings.CELERY_BROKER_URL,
        "QIANSHAN_WORKER_BROKER_OPTIONS": json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS),
        "QIANSHAN_WORKER_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "QIANSHAN_WORKER_SMTP_PORT": str(smtp_port),
    }
    cmd = [sys.executable, "-m", "celery", "-A", "qianshan", "worker", "--pool=solo", "--loglevel=WARNING"]
    cmd += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def test_worker_killed_mid_smtp_leaves_mail_pending_then_sweep_sends_it_once(
    transactional_db, users, settings
):
    from aiosmtpd.controller import Controller

    user = users["staff"]
    user.email = "li@qianshan.example"
    user.save()
    hanging = HangingSMTP()
    hanging.start()
    worker = _start_worker(settings, hanging.port)
    try:
        (note,) = notify([user], kind=NotificationKind.choices[0][0], title="督办函", body="请按期整改。")
        # the worker takes the job from the broker, claims the row and sends into the hang
        if not hanging.message_received.wait(90):
            worker.kill()
            pytest.fail("worker never reached the mail server: " + worker.communicate()[1].decode()[-2000:])
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
        hanging.close()
    assert worker.returncode == -signal.SIGKILL

    note.refresh_from_db()
    assert note.emailed_at is None  # the server never accepted it: not marked sent
    assert note.email_claimed_until is not None and note.email_claimed_until > timezone.now()

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
        # the dead worker's claim still runs: the sweep leaves the row alone (it might be alive)
        assert resend_pending_emails() == 0
        assert sink.envelopes == []
        deadline = time.monotonic() + CLAIM_SECONDS + 30
        while timezone.now() <= note.email_claimed_until:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert resend_pending_emails() == 1
        assert resend_pending_emails() == 0  # a second sweep sends nothing again
    finally:
        controller.stop()

    assert [e.rcpt_tos for e in sink.envelopes] == [["li@qianshan.example"]]
    subject = message_from_bytes(sink.envelopes[0].content)["Subject"]
    assert str(make_header(decode_header(subject))) == "【千山督察整改】督办函"
    note.refresh_from_db()
    assert note.emailed_at is not None and note.email_claimed_until is None
    assert Notification.objects.filter(pk=note.pk, emailed_at__isnull=False).count() == 1
