# The project's one refusal type lives in qianshan.common.errors; every app imports it from here
# or from there.
from qianshan.common.errors import DomainError

__all__ = ["DomainError"]
