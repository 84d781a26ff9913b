"""`field-dispatch`: serve the API, create demo data, import service requests, manage engineers.

Administrative commands work on the database directly (they run on the service's host).
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from api_client.clients import CompanyIn, PersonIn
from api_client.clock import clock_from_env
from api_client.events import ApproveEvent, ProposeEvent
from api_client.request import ServiceRequest, SkillLevel
from api_client.rules.lifecycle import Refused
from api_client.wire import EngineerIn

from . import accounts
from .api.errors import field_errors
from .app import build_store
from .badge import BadgeKeyMissing
from .settings import Settings
from .store import NotFound, Store

EXIT_INVALID = 2


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "db", None):
        overrides["database_url"] = f"sqlite:///{Path(args.db).resolve()}"
    if getattr(args, "dispatcher_token", None):
        overrides["dispatcher_token"] = args.dispatcher_token
    if getattr(args, "dispatcher_token_file", None):
        overrides["dispatcher_token"] = read_token_file(Path(args.dispatcher_token_file))
    if getattr(args, "rate_card", None):
        overrides["rate_card_path"] = Path(args.rate_card)
    if getattr(args, "public_url", None):
        overrides["public_base_url"] = args.public_url
    return Settings(**overrides)


def read_token_file(path: Path) -> str:
    """The first line of a file (kept out of `ps` and shell history, unlike a command-line argument)."""
    try:
        token = path.read_text(encoding="utf-8").strip().splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise SystemExit(f"{path}: cannot read a token from it: {exc or 'the file is empty'}") from exc
    return token


def _store(args: argparse.Namespace) -> Store:
    return build_store(_settings(args))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    if not (args.dispatcher_token or args.dispatcher_token_file or os.environ.get("FIELD_DISPATCH_DISPATCHER_TOKEN")):
        print(
            "No dispatcher token: set FIELD_DISPATCH_DISPATCHER_TOKEN or pass --dispatcher-token-file PATH.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        settings = _settings(args)
    except ValidationError as exc:
        for line in format_errors(exc):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    if not getattr(args, "public_url", None):
        settings.public_base_url = f"http://{args.host}:{args.port}"
    try:
        app = create_app(settings, clock=clock_from_env())
    except (BadgeKeyMissing, ValueError) as exc:  # a setting the service refuses to start with
        print(f"field-dispatch: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"field-dispatch on http://{args.host}:{args.port}  (OpenAPI: /docs)", flush=True)
    # What start-up made (modules, schemas, the app) lives as long as the process: keep it out of the collector's
    # full passes, which otherwise walk it all every few thousand events (bench/README.md, "The drain").
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import DISPATCHER_DEMO_TOKEN, seed

    db = Path(args.db)
    if db.exists():
        if not args.reset:
            print(f"{db} exists; use --reset to replace it", file=sys.stderr)
            return EXIT_INVALID
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    info = seed(_store(args))
    print(f"Demo database: {db}")
    print(f"Dispatcher token: {DISPATCHER_DEMO_TOKEN}  (serve with FIELD_DISPATCH_DISPATCHER_TOKEN set to it)")
    for key, token in info["tokens"].items():
        print(f"  engineer {info['engineers'][key]} ({key}): token {token}")
    print("Assignments: " + ", ".join(info["assignments"]))
    return 0


def format_errors(exc: ValidationError) -> list[str]:
    """One line per mistake: `field — rule — message`, in the same words as the API's 422 body."""
    return [f"{e['field'] or '(file)'} — {e['rule']} — {e['message']}" for e in field_errors(list(exc.errors()), False)]


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot read: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except json.JSONDecodeError as exc:
        print(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", file=sys.stderr)
        return EXIT_INVALID
    requests = raw if isinstance(raw, list) else [raw]
    parsed: list[ServiceRequest] = []
    failed = False
    for i, item in enumerate(requests):
        try:
            parsed.append(ServiceRequest.model_validate(item))
        except ValidationError as exc:
            failed = True
            prefix = f"request {i + 1}: " if len(requests) > 1 else ""
            print(f"{path}: {prefix}{exc.error_count()} problem(s):", file=sys.stderr)
            for line in format_errors(exc):
                print(line, file=sys.stderr)
    if failed:
        print("Nothing was imported.", file=sys.stderr)
        return EXIT_INVALID
    store = _store(args)
    for request in parsed:
        a = store.create_assignment(request)
        print(f"{a.id}\t{a.status.value}\t{'EXPEDITED ' if a.expedited else ''}{request.title}")
    return 0


def cmd_engineer_add(args: argparse.Namespace) -> int:
    photo = base64.b64encode(Path(args.photo).read_bytes()).decode() if args.photo else None
    try:
        data = EngineerIn(
            name=args.name,
            name_ja=args.name_ja or "",
            company=args.company,
            skill_level=SkillLevel(args.skill),
            phone=args.phone,
            email=args.email,
            languages=args.language or ["en"],
            photo_base64=photo,
        )
    except ValidationError as exc:
        for line in format_errors(exc):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    created = _store(args).add_engineer(data)
    print(f"{created.engineer.id}\t{created.engineer.name}\ttoken: {created.token}")
    return 0


def cmd_engineer_token(args: argparse.Namespace) -> int:
    try:
        created = _store(args).rotate_token(args.engineer)
    except NotFound:
        print(f"No engineer {args.engineer}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{created.engineer.id}\t{created.engineer.name}\tnew token: {created.token} (the old one no longer works)")
    return 0


def _dispatcher_act(args: argparse.Namespace, make: Callable[[datetime], ApproveEvent | ProposeEvent]) -> int:
    store = _store(args)
    event = make(store.clock())
    try:
        a = store.dispatcher_action(event)
    except NotFound:
        print(f"No assignment {event.assignment_id}", file=sys.stderr)
        return EXIT_INVALID
    except Refused as refusal:
        print(f"Refused ({refusal.code}): {refusal.message}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{a.id}\t{a.status.value}")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    return _dispatcher_act(
        args, lambda now: ApproveEvent(assignment_id=args.assignment, device_time=now, approved_by=args.by)
    )


def cmd_propose(args: argparse.Namespace) -> int:
    return _dispatcher_act(
        args, lambda now: ProposeEvent(assignment_id=args.assignment, device_time=now, engineer_ids=args.engineers)
    )


def cmd_client_add(args: argparse.Namespace) -> int:
    try:
        data = CompanyIn(
            name_en=args.name, name_ja=args.name_ja or "", language=args.language, notify_emails=args.notify or []
        )
    except ValidationError as exc:
        for line in format_errors(exc):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    company = accounts.add_company(_store(args), data)
    print(f"{company.id}\t{company.name_en}")
    return 0


def cmd_person_add(args: argparse.Namespace) -> int:
    try:
        data = PersonIn(
            company_id=args.company,
            name=args.name,
            email=args.email,
            phone=args.phone,
            may_request=not args.no_request,
            may_approve=args.approver,
            language=args.language,
        )
        person = accounts.add_person(_store(args), data)
    except ValidationError as exc:
        for line in format_errors(exc):
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except NotFound:
        print(f"company: no company {args.company}", file=sys.stderr)
        return EXIT_INVALID
    except accounts.Conflict as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    print(f"{person.id}\t{person.name}\t{person.email}")
    return 0


def cmd_dispatcher_add(args: argparse.Namespace) -> int:
    """The password comes from a file or stdin, never the command line (it would show in `ps` and history)."""
    password = read_token_file(Path(args.password_file)) if args.password_file else sys.stdin.readline().strip()
    try:
        dispatcher_id = accounts.add_dispatcher(
            _store(args), args.name, args.email, password, is_admin=args.admin, language=args.language
        )
    except (ValueError, accounts.Conflict) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    print(f"{dispatcher_id}\t{args.name}\t{'admin' if args.admin else 'dispatcher'}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="field-dispatch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def db_arg(sp: argparse.ArgumentParser, default: str | None = None) -> None:
        # Without --db the database is FIELD_DISPATCH_DATABASE_URL (PostgreSQL for several instances), or the
        # default SQLite file: a flag's default must never override the deployment's setting.
        sp.add_argument(
            "--db",
            default=default,
            help="SQLite file (default: FIELD_DISPATCH_DATABASE_URL, else var/dispatch.sqlite3)"
            if default is None
            else "SQLite file (default: %(default)s)",
        )

    s = sub.add_parser("serve", help="serve the HTTP API")
    db_arg(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8787)
    s.add_argument(
        "--dispatcher-token-file",
        help="file holding the dispatcher's bearer token (or FIELD_DISPATCH_DISPATCHER_TOKEN)",
    )
    s.add_argument("--dispatcher-token", help=argparse.SUPPRESS)  # visible in `ps`: kept only for old scripts
    s.add_argument("--rate-card", help="JSON rate card (default: the EXAMPLE card)")
    s.add_argument("--public-url", help="base URL printed in badge QR codes")
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("demo", help="create a database with demo data and print the engineers' tokens")
    db_arg(d, "var/dispatch.sqlite3")
    d.add_argument("--reset", action="store_true", help="replace an existing database")
    d.set_defaults(func=cmd_demo)

    i = sub.add_parser("import", help="import service request(s) from a JSON file (object or list)")
    db_arg(i)
    i.add_argument("file")
    i.set_defaults(func=cmd_import)

    e = sub.add_parser("engineer", help="manage engineers")
    esub = e.add_subparsers(dest="engineer_command", required=True)
    ea = esub.add_parser("add", help="register an engineer and print their token (shown once)")
    db_arg(ea)
    ea.add_argument("--name", required=True)
    ea.add_argument("--name-ja")
    ea.add_argument("--company", default="eCorpOne")
    ea.add_argument("--skill", choices=[s.value for s in SkillLevel], default="senior")
    ea.add_argument("--phone")
    ea.add_argument("--email")
    ea.add_argument("--photo", help="ID photo (PNG/JPEG)")
    ea.add_argument("--language", action="append", choices=["en", "ja"], help="repeat for both (default: en)")
    ea.set_defaults(func=cmd_engineer_add)
    et = esub.add_parser("rotate-token", help="issue a new token for a lost or leaked device (old one stops working)")
    db_arg(et)
    et.add_argument("engineer")
    et.set_defaults(func=cmd_engineer_token)

    c = sub.add_parser("client", help="manage client companies")
    csub = c.add_subparsers(dest="client_command", required=True)
    ca = csub.add_parser("add", help="add a client company and print its id")
    ca.add_argument("--name", required=True, help="the company's name in English")
    ca.add_argument("--name-ja", help="the company's name in Japanese")
    ca.add_argument("--language", choices=["en", "ja"], default="en")
    ca.add_argument("--notify", action="append", metavar="EMAIL", help="an address that gets visit mails")
    db_arg(ca)
    ca.set_defaults(func=cmd_client_add)

    pe = sub.add_parser("person", help="manage people of client companies")
    pesub = pe.add_subparsers(dest="person_command", required=True)
    pa = pesub.add_parser("add", help="add a person who signs in to the portal by mailed link")
    pa.add_argument("--company", required=True, help="the company's id")
    pa.add_argument("--name", required=True)
    pa.add_argument("--email", required=True)
    pa.add_argument("--phone", help="with the country code, e.g. +81 3 1234 5678")
    pa.add_argument("--approver", action="store_true", help="may approve proposed engineers")
    pa.add_argument("--no-request", action="store_true", help="may not request visits")
    pa.add_argument("--language", choices=["en", "ja"], default="en")
    db_arg(pa)
    pa.set_defaults(func=cmd_person_add)

    dp = sub.add_parser("dispatcher", help="manage the desk's dispatchers")
    dpsub = dp.add_subparsers(dest="dispatcher_command", required=True)
    da = dpsub.add_parser("add", help="add a dispatcher; the password is read from stdin or --password-file")
    da.add_argument("--name", required=True)
    da.add_argument("--email", required=True)
    da.add_argument("--password-file", help="a file whose first line is the password (else: one line of stdin)")
    da.add_argument("--admin", action="store_true", help="may create other dispatchers (the first one should)")
    da.add_argument("--language", choices=["en", "ja"], default="en")
    db_arg(da)
    da.set_defaults(func=cmd_dispatcher_add)

    pr = sub.add_parser("propose", help="propose engineers for an assignment")
    db_arg(pr)
    pr.add_argument("assignment")
    pr.add_argument("engineers", nargs="+")
    pr.set_defaults(func=cmd_propose)

    ap = sub.add_parser("approve", help="record the ordering party's approval (the SLA starts)")
    db_arg(ap)
    ap.add_argument("assignment")
    ap.add_argument("--by", required=True, help="who at the ordering party approved")
    ap.set_defaults(func=cmd_approve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
