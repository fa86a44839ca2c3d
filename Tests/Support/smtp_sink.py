#!/usr/bin/env python3
"""SMTP sink for tests, built on aiosmtpd (pip install aiosmtpd).

Accepts every message and writes it into DIR as one JSON file per message:
  {"mail_from": "...", "rcpt_tos": ["...", ...], "data_base64": "<the DATA bytes>",
   "tls": true|false, "auth_user": "..."|null}
Files appear atomically (written under a dot-name, then renamed), before the server
answers the end of DATA, so a client that got its 250 can read the file at once.

Binds a free port, prints it as the first line of stdout, and exits when stdin closes.

Options:
  --dir DIR                       where messages go (required)
  --tls-cert FILE --tls-key FILE  certificate for STARTTLS or implicit TLS
  --starttls                      offer STARTTLS and require it before any mail command
  --implicit-tls                  TLS from the first byte (smtps)
  --auth-user U --auth-password P require AUTH PLAIN/LOGIN with these credentials
                                  (allowed without TLS; wrong ones get 535)
  --delay-data SECONDS            keep each message, then wait this long before answering, so a
                                  test can stop a client whose message arrived unconfirmed
"""
import argparse
import asyncio
import base64
import itertools
import json
import logging
import os
import ssl
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, delay):
        self.directory = directory
        self.delay = delay
        self.counter = itertools.count()

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data_base64": base64.b64encode(envelope.original_content).decode(),
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": session.auth_data if session.authenticated else None,
        }
        name = f"{time.time_ns()}-{next(self.counter):06d}.json"
        temporary = os.path.join(self.directory, "." + name)
        with open(temporary, "w") as file:
            json.dump(record, file)
        os.rename(temporary, os.path.join(self.directory, name))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password):
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)
    return authenticate


async def serve(args):
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    sink = Sink(args.dir, args.delay_data)

    def protocol():
        return SMTP(
            sink,
            hostname="localhost",
            decode_data=False,
            tls_context=context if args.starttls else None,
            require_starttls=args.starttls,
            auth_required=args.auth_user is not None,
            auth_require_tls=False,
            authenticator=authenticator_for(args.auth_user, args.auth_password)
            if args.auth_user is not None else None,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        protocol, args.host, 0, ssl=context if args.implicit_tls else None)
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.buffer.read)
    os._exit(0)


def main():
    # AUTH without TLS is deliberate here; aiosmtpd would warn about it on every connection.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password")
    parser.add_argument("--delay-data", type=float, default=0)
    args = parser.parse_args()
    if (args.starttls or args.implicit_tls) and not args.tls_cert:
        parser.error("--starttls and --implicit-tls need --tls-cert and --tls-key")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
