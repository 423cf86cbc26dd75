#!/usr/bin/env python3
"""sushy-emulator with what it lacks in front of it: Redfish sessions and ETags.

    redfish_session_layer.py --user U --password P [--readonly-user U:P] [--expire-after N]
                             <sushy-emulator arguments>

The real sushy-emulator application (pip sushy-tools) runs in this process behind a WSGI layer:
- POST /redfish/v1/SessionService/Sessions opens a session (201, X-Auth-Token, Location);
  DELETE of that Location closes it; every other /redfish/v1/... request needs a live token.
- --expire-after N drops a session after N uses, as a BMC's idle timeout would.
- a --readonly-user session gets 403 for anything but GET.
- GET of a system carries an ETag; a PATCH of it needs a matching If-Match (428/412 otherwise).
- GET /_sessions (test-only) shows logins, failed logins, deleted sessions and live ones.
"""
import argparse
import hashlib
import io
import json
import os
import re
import secrets
import sys
import threading
import time

from sushy_tools.emulator import main as emulator

SYSTEM = re.compile(r"^/redfish/v1/Systems/[^/]+$")
SESSIONS = "/redfish/v1/SessionService/Sessions"


def redfish_error(message, message_id):
    return {"error": {"code": "Base.1.0.GeneralError", "message": "See @Message.ExtendedInfo",
                      "@Message.ExtendedInfo": [{"MessageId": message_id, "Message": message}]}}


class SessionLayer:
    def __init__(self, app, users, readonly, expire_after):
        self.app = app
        self.users = users
        self.readonly = readonly
        self.expire_after = expire_after
        self.lock = threading.Lock()
        self.sessions = {}  # token -> {"id", "user", "uses"}
        self.next_id = 1
        self.stats = {"logins": 0, "failedLogins": 0, "deleted": 0, "expired": 0}

    def respond(self, start_response, status, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
                       + list(headers))
        return [data]

    def downstream(self, env):
        """Runs the emulator on env; returns (status, headers, body)."""
        captured = {}

        def start(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(self.app(env, start))
        return captured["status"], captured["headers"], body

    def current_etag(self, env):
        probe = dict(env, REQUEST_METHOD="GET", CONTENT_LENGTH="0", QUERY_STRING="")
        probe["wsgi.input"] = io.BytesIO(b"")
        status, _, body = self.downstream(probe)
        return etag_of(body) if status.startswith("200") else None

    def __call__(self, env, start_response):
        path = env.get("PATH_INFO", "").rstrip("/")
        method = env["REQUEST_METHOD"]
        if path in ("", "/redfish", "/redfish/v1"):
            return self.app(env, start_response)
        if path == "/_sessions":
            with self.lock:
                return self.respond(start_response, "200 OK", dict(self.stats, live=len(self.sessions)))
        if path == SESSIONS and method == "POST":
            return self.login(env, start_response)

        token = env.get("HTTP_X_AUTH_TOKEN")
        with self.lock:
            session = self.sessions.get(token)
            if session is not None:
                session["uses"] += 1
                if self.expire_after and session["uses"] > self.expire_after:
                    del self.sessions[token]
                    self.stats["expired"] += 1
                    session = None
        if session is None:
            return self.respond(start_response, "401 Unauthorized",
                                redfish_error("No valid session established with the service.",
                                              "Base.1.0.NoValidSession"))
        if method != "GET" and session["user"] in self.readonly:
            return self.respond(start_response, "403 Forbidden",
                                redfish_error("There are insufficient privileges for the account or credentials "
                                              "associated with the current session to perform the requested "
                                              "operation.", "Base.1.0.InsufficientPrivilege"))
        if method == "DELETE" and path == f"{SESSIONS}/{session['id']}":
            with self.lock:
                self.sessions.pop(token, None)
                self.stats["deleted"] += 1
            return self.respond(start_response, "204 No Content")

        if SYSTEM.match(path) and method == "PATCH":
            wanted = env.get("HTTP_IF_MATCH")
            if wanted is None:
                return self.respond(start_response, "428 Precondition Required",
                                    redfish_error("If-Match is required.", "Base.1.0.PreconditionRequired"))
            if wanted != self.current_etag(env):
                return self.respond(start_response, "412 Precondition Failed",
                                    redfish_error("The ETag does not match.", "Base.1.0.PreconditionFailed"))
        status, headers, body = self.downstream(env)
        if SYSTEM.match(path) and method == "GET" and status.startswith("200"):
            headers = [h for h in headers if h[0].lower() != "etag"] + [("ETag", etag_of(body))]
        start_response(status, headers)
        return [body]

    def login(self, env, start_response):
        length = int(env.get("CONTENT_LENGTH") or 0)
        try:
            credentials = json.loads(env["wsgi.input"].read(length) or b"{}")
        except ValueError:
            credentials = {}
        user, password = credentials.get("UserName"), credentials.get("Password")
        with self.lock:
            if self.users.get(user) != password:
                self.stats["failedLogins"] += 1
                return self.respond(start_response, "401 Unauthorized",
                                    redfish_error("Invalid username or password.", "Base.1.0.NoValidSession"))
            token = secrets.token_hex(16)
            session_id = str(self.next_id)
            self.next_id += 1
            self.sessions[token] = {"id": session_id, "user": user, "uses": 0}
            self.stats["logins"] += 1
        location = f"{SESSIONS}/{session_id}"
        return self.respond(start_response, "201 Created",
                            {"@odata.id": location, "Id": session_id, "UserName": user},
                            [("X-Auth-Token", token), ("Location", location)])


def etag_of(body):
    return '"%s"' % hashlib.sha1(body).hexdigest()[:16]


def exit_with_parent():
    """Ends this peer when the test process that started it is gone, even if it crashed."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    exit_with_parent()
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--readonly-user", action="append", default=[], metavar="USER:PASSWORD")
    parser.add_argument("--expire-after", type=int, default=0)
    args, rest = parser.parse_known_args()
    users = {args.user: args.password}
    readonly = set()
    for item in args.readonly_user:
        name, password = item.split(":", 1)
        users[name] = password
        readonly.add(name)
    emulator.app.wsgi_app = SessionLayer(emulator.app.wsgi_app, users, readonly, args.expire_after)
    sys.argv = [sys.argv[0]] + rest
    return emulator.main()


if __name__ == "__main__":
    sys.exit(main())
