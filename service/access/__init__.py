"""Sign-in and roles: API tokens, identity-provider JWTs, browser sessions,
and the role a principal holds on each project (rules in `domain.access`)."""
