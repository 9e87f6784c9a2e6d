"""One error hierarchy for the core; front-ends translate it for users."""


class FootnoteError(Exception):
    """Base of every error Footnote raises on purpose; its message is safe to show users."""


class ConfigError(FootnoteError):
    """The configuration file or an option is invalid."""


class SourceError(FootnoteError):
    """A source (file, line, URL) could not be read or parsed."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.reason = message


class SourcesFailed(SourceError):
    """Several sources failed at once (the files of `--corpus`); the message is the first."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0])
        self.errors = errors


class FetchError(SourceError):
    """An HTTP fetch failed (status, timeout, size, robots.txt ...)."""


class EmptyCorpusError(FootnoteError):
    """There are no articles to search."""


class QuestionError(FootnoteError):
    """The question is empty or too long."""


class ArticleNotFound(FootnoteError):
    """No article matches what the user asked for."""


class ArticleTooLong(FootnoteError):
    """An article is too long to summarise within bounded time and memory."""


class AmbiguousArticle(FootnoteError):
    """Several articles fit about equally well; the user must choose."""

    def __init__(self, query: str, candidates: list) -> None:
        titles = "; ".join(a.title for a in candidates)
        super().__init__(f"Several articles match {query!r}: {titles}")
        self.query = query
        self.candidates = candidates


class UsageError(FootnoteError):
    """Bad arguments: options that do not go together, values out of range."""


class StoreError(FootnoteError):
    """The SQLite store could not be opened, read or written.

    The file's path is kept apart from the message: the console shows it, Discord users not."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class CacheError(FootnoteError):
    """A cached index file cannot be read (truncated, damaged, another layout): rebuild it."""


class DiscordUnreachable(FootnoteError):
    """Discord's API or gateway could not be reached (no network, DNS, firewall)."""
