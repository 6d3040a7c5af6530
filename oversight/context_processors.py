from org.permissions import access_of


def nav(request):
    """Whether the header shows 履职监督: read-all roles and unit users (lazy: no query until rendered;
    most pages have computed the user's access already)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def shown() -> bool:
        access = access_of(user)
        return access.reads_all or bool(access.unit_ids)

    return {"nav_oversight": shown}
