"""Issue an API token for an employer's or an employment service's system; prints it once."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import ApiScope, ApiToken, Employer, EmploymentService
from accounts.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Issue an API token: --employer ID or --service CODE, with --scopes (comma-separated). "
        "The token is printed once and stored hashed. --revoke PREFIX revokes tokens instead."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--employer", type=int, help="id of the employer")
        who.add_argument("--service", help="code of the employment service (vdab, uwv, wsp-zvl)")
        who.add_argument("--revoke", metavar="PREFIX", help="revoke the active tokens whose prefix is PREFIX")
        parser.add_argument("--scopes", default="", help=f"comma-separated, from: {', '.join(ApiScope.values)}")
        parser.add_argument("--name", default="", help="which system uses the token")
        parser.add_argument("--days", type=int, default=None, help="expire after this many days")

    def handle(self, *args, **options):
        if options["revoke"]:
            tokens = list(ApiToken.objects.filter(prefix=options["revoke"], revoked_at__isnull=True))
            if not tokens:
                raise CommandError(f"No active token with prefix {options['revoke']!r}.")
            for token in tokens:
                api_token_revoke(token=token)
            self.stdout.write(f"Revoked {len(tokens)} token(s).")
            return
        employer = service = None
        if options["employer"] is not None:
            employer = Employer.objects.filter(pk=options["employer"]).first()
            if employer is None:
                raise CommandError(f"No employer with id {options['employer']}.")
        elif options["service"]:
            service = EmploymentService.objects.filter(code=options["service"]).first()
            if service is None:
                codes = ", ".join(EmploymentService.objects.values_list("code", flat=True))
                raise CommandError(f"No employment service {options['service']!r} (known: {codes}).")
        else:
            raise CommandError("Give --employer ID or --service CODE.")
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        if options["days"] is not None and options["days"] < 1:
            # --days 0 used to mean "never expires" and --days -1 "already expired".
            raise CommandError("--days takes a whole number of days from 1; leave it out for a token without expiry.")
        expires_at = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
        name = options["name"] or f"{employer or service} system"
        try:
            token, key = api_token_issue(
                name=name, scopes=scopes, employer=employer, employment_service=service, expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token {token.prefix}… for {token.organisation} with scopes {', '.join(token.scopes)}. "
            "Copy it now: it is stored hashed and will not be shown again."
        )
        self.stdout.write(key)
