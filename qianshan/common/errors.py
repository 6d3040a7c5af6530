class DomainError(Exception):
    """A refusal by a domain rule; the message is Chinese and is shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
