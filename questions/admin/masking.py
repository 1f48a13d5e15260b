"""Citizens' e-mail addresses stay masked unless the user holds questions.view_citizen_email."""


def mask_email(address: str) -> str:
    """'camille.d@example.org' → 'c•••@•••.org': enough to tell two apart, not to write."""
    if "@" not in address:
        return "•••" if address else ""
    local, domain = address.rsplit("@", 1)
    tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
    return f"{local[:1]}•••@•••.{tld}" if tld else f"{local[:1]}•••@•••"


def swap_email_field(fields):
    """The masked display replaced by the real field, for those allowed to see it."""
    return [("email" if name == "citizen_email" else name) for name in fields]
