#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the SMTPTransport tests.

Writes every received message to <dir>/messages/<n>.eml (bytes as received
after dot-unstuffing), every envelope event to <dir>/events.log, and, once it
listens, its port to <dir>/port. Runs until killed.
"""
import argparse
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--starttls", action="store_true", help="offer STARTTLS")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth", choices=["none", "plain", "login", "both"], default="none")
    p.add_argument("--user", default="vertrouwd")
    p.add_argument("--password", default="geheim")
    p.add_argument("--rcpt550", action="store_true")
    p.add_argument("--data451", action="store_true")
    return p.parse_args()


class Handler:
    def __init__(self, args):
        self.args = args
        self.count = 0
        os.makedirs(os.path.join(args.dir, "messages"), exist_ok=True)

    def event(self, text):
        with open(os.path.join(self.args.dir, "events.log"), "a") as f:
            f.write(text + "\n")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.event("MAIL")
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.event("RCPT")
        if self.args.rcpt550:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.event("DATA")
        if self.args.data451:
            return "451 4.3.0 try again later"
        self.count += 1
        name = os.path.join(self.args.dir, "messages", "%d.eml" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        self.event("DELIVERED tls=%s" % (session.ssl is not None))
        return "250 OK queued"


def main():
    args = parse_args()
    kwargs = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        kwargs["tls_context"] = context
    if args.auth != "none":
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == args.user.encode()
                  and auth_data.password == args.password.encode())
            with open(os.path.join(args.dir, "events.log"), "a") as f:
                f.write("AUTH %s %s\n" % (mechanism, "ok" if ok else "failed"))
            # handled=False: aiosmtpd sends the 535 itself.
            return AuthResult(success=ok, handled=False)
        kwargs["authenticator"] = authenticator
        kwargs["auth_require_tls"] = args.starttls
        if args.auth == "plain":
            kwargs["auth_exclude_mechanism"] = ["LOGIN"]
        elif args.auth == "login":
            kwargs["auth_exclude_mechanism"] = ["PLAIN"]

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    controller = Controller(Handler(args), hostname="127.0.0.1", port=port,
                            ready_timeout=30, **kwargs)
    controller.start()
    with open(os.path.join(args.dir, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
