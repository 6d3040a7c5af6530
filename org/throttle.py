"""Password guessing is throttled by django-axes, for the login form and the signing password alike.

After ``LOGIN_FAILURE_LIMIT`` wrong passwords for one user name, or from one IP address, further
attempts are refused for ``LOGIN_LOCKOUT_MINUTES`` even with the right password. Both forms count
into the same record (axes' ``AccessAttempt``/``AccessFailureLog``, visible in the admin), so a
guesser gains nothing by switching from one form to the other.
"""

from django.conf import settings
from django.contrib.auth import authenticate

from qianshan.common.errors import DomainError


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        f"密码连续错误 {settings.AXES_FAILURE_LIMIT} 次，已暂时锁定，"
        f"请 {lockout_minutes()} 分钟后再试；如需立即解锁请联系系统管理员。"
    )


def is_locked_out(request, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": username})


def check_signing_password(user, password: str, request=None) -> None:
    """Refuse (DomainError on ``password``) a wrong signing password, or any while locked out.

    With a request the check goes through ``authenticate`` so axes counts the failure against the
    user name and the IP address; without one (a command, a test of the domain) it is a plain check.
    """
    if request is None:
        if not password or not user.check_password(password):
            raise DomainError("密码不正确，未签字。", field="password")
        return
    if is_locked_out(request, user.get_username()):
        raise DomainError(lockout_message(), field="password")
    if not password or authenticate(request, username=user.get_username(), password=password) is None:
        if is_locked_out(request, user.get_username()):
            # the signing form shows the refusal itself, not axes' login lockout page
            request.axes_locked_out = False
            raise DomainError(lockout_message(), field="password")
        raise DomainError("密码不正确，未签字。", field="password")


def lockout_response(request, original_response=None, credentials=None):
    """The page axes shows instead of the login form while locked out (HTTP 429)."""
    from django.shortcuts import render

    return render(request, "registration/locked.html", {"message": lockout_message()}, status=429)
