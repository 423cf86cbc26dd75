#!/usr/bin/env python3
"""A stand-in for Sidero's management API (the power switch of its QEMU test machines).

POST /poweron, /poweroff, /reboot, /pxeboot answer 200; GET /status answers {"PoweredOn": bool}.
GET /_state (test-only) shows what the server saw: power, PXE boots, reboots, every call.

    management_api_server.py [--port N] [--fail PATH=CODE]... [--hang PATH]...

Listens on 127.0.0.1 only; prints "LISTENING <port>" once ready (port 0 picks a free one).
--fail makes PATH answer CODE; --hang makes PATH never answer (to test client timeouts).
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"PoweredOn": False, "PXEBoots": 0, "Reboots": 0, "Calls": []}
LOCK = threading.Lock()


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", action="append", default=[], metavar="PATH=CODE")
    parser.add_argument("--hang", action="append", default=[], metavar="PATH")
    return parser.parse_args()


ARGS = parse_args()
FAIL = {path: int(code) for path, code in (item.split("=", 1) for item in ARGS.fail)}
HANG = set(ARGS.hang)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))

    def answer(self, code, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_call(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path
        if path != "/_state":
            with LOCK:
                STATE["Calls"].append(f"{method} {path}")
        if path in HANG:
            # Hold the connection without answering until the client gives up.
            time.sleep(3600)
            return
        if path in FAIL:
            self.answer(FAIL[path], {"error": f"configured to fail with {FAIL[path]}"})
            return
        routes = {
            ("POST", "/poweron"): lambda: STATE.update(PoweredOn=True),
            ("POST", "/poweroff"): lambda: STATE.update(PoweredOn=False),
            ("POST", "/reboot"): lambda: STATE.update(PoweredOn=True, Reboots=STATE["Reboots"] + 1),
            ("POST", "/pxeboot"): lambda: STATE.update(PXEBoots=STATE["PXEBoots"] + 1),
        }
        if (method, path) in routes:
            with LOCK:
                routes[(method, path)]()
            self.answer(200)
        elif (method, path) == ("GET", "/status"):
            with LOCK:
                self.answer(200, {"PoweredOn": STATE["PoweredOn"]})
        elif (method, path) == ("GET", "/_state"):
            with LOCK:
                self.answer(200, STATE)
        else:
            self.answer(404, {"error": f"no route {method} {path}"})

    def do_GET(self):
        self.handle_call("GET")

    def do_POST(self):
        self.handle_call("POST")


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
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    print(f"LISTENING {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
