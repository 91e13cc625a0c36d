"""GET /api/v1/me: who the API takes the caller for, and with which scopes."""

from ninja import Router, Schema

from works.api.auth import caller

router = Router(tags=["account"])


class MeOut(Schema):
    login: str | None
    authenticated_by: str
    scopes: list[str]


@router.get("/me", response=MeOut, summary="Who is calling")
def me(request):
    who = caller(request)
    if who.is_guest:
        return {"login": None, "authenticated_by": "guest", "scopes": sorted(who.scopes)}
    return {
        "login": who.user.username,
        "authenticated_by": "token" if who.token else "session",
        "scopes": sorted(who.scopes),
    }
