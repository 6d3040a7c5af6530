class DomainError(Exception):
    """A refusal by a domain rule; the message is Chinese and is shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def show_refusal(form, error: DomainError) -> None:
    """Put a domain refusal on the form: on its field when the form has that field, else on top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
