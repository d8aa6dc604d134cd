"""Read a page's forms as a browser would, so a test can post what the user loaded."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class LoadedForm:
    """A form on a page: where it posts and the hidden values it carries."""

    action: str
    hidden: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[LoadedForm] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "").lower() == "post":
            self.forms.append(LoadedForm(values.get("action", "")))
        elif tag == "input" and values.get("type") == "hidden" and self.forms:
            name = values.get("name", "")
            if name != "csrfmiddlewaretoken":
                self.forms[-1].hidden[name] = values.get("value", "")


def posting_forms(html: str) -> list[LoadedForm]:
    """Return the page's POST forms in order."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def hidden_values(html: str, *, action: str = "", carrying: str = "lock_version") -> dict[str, str]:
    """Return the hidden values of the form that posts to ``action`` and carries a version.

    ``action`` "" is a form that posts to the page itself.
    """
    for form in posting_forms(html):
        if form.action == action and carrying in form.hidden:
            return form.hidden
    raise AssertionError(f"no form posts {carrying} to {action!r}")
