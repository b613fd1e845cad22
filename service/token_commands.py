"""`planforge token create|list|revoke`: API tokens, straight on the store.

Whoever can reach the store's database is its administrator, so these need
no token themselves; this is how the first admin token is made. `create`
prints the secret alone on stdout (for `TOKEN=$(planforge token create ...)`);
only its digest is stored.
"""

from __future__ import annotations

import argparse
from typing import Any
from uuid import UUID

from domain import ValidationError
from domain.access import Role

CLI_ACTOR = "planforge-cli"
FIRST_TOKEN_HINT = (
    "no API tokens yet: create the first admin token with\n"
    "  planforge token create NAME --role admin\n"
    "and send it as 'Authorization: Bearer <token>'"
)


def add_token_commands(commands: Any) -> None:
    token = commands.add_parser(
        "token", help="API tokens: create, list, revoke (on the store directly)"
    )
    actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="issue a token; prints it alone")
    create.add_argument("name", help="the token's name, recorded as the actor")
    create.add_argument("--role", required=True, choices=[role.label for role in Role])
    create.add_argument(
        "--project", metavar="ID", help="limit the token to this project"
    )
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="live tokens (never their secrets)")
    listing.set_defaults(handler=_list)
    revoke = actions.add_parser("revoke", help="revoke a token now")
    revoke.add_argument("name")
    revoke.set_defaults(handler=_revoke)


def _planforge() -> Any:
    from service.settings import Settings  # pydantic: only when used
    from service.usecases import Planforge

    return Planforge(Settings())


def _create(args: argparse.Namespace) -> int:
    planforge = _planforge()
    project_id = None
    if args.project is not None:
        try:
            project_id = UUID(args.project)
        except ValueError:
            raise ValidationError.at("--project", "expected a project id") from None
        planforge.get_project(project_id)
    secret = planforge.access.issue_token(
        args.name,
        Role.parse(args.role),
        None if project_id is None else str(project_id),
        CLI_ACTOR,
    )
    print(secret)
    return 0


def _list(args: argparse.Namespace) -> int:
    for info in _planforge().access.tokens():
        scope = f"project {info.project_id}" if info.project_id else "organisation"
        print(f"{info.name}\t{info.role}\t{scope}\tissued by {info.issued_by}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    _planforge().access.revoke_token(args.name, CLI_ACTOR)
    print(f"revoked {args.name}")
    return 0
