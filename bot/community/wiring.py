"""Opening the community features over the service's own SQLite file: one call for the
bot and the console alike."""

from __future__ import annotations

from bot.community.service import Community
from bot.errors import ConfigError
from bot.store.connection import Database


def open_community(service) -> Community:
    """The service's Community, opened once over the stores' database (its own tables, same
    file) and hooked to the articles store so refreshes queue new-article announcements."""
    existing = getattr(service, "community", None)
    if isinstance(existing, Community):
        return existing
    if not isinstance(service.stores.db, Database):
        # Feedback, channel modes, announcements and threads keep SQLite tables (SQLite's
        # SQL): refuse clearly rather than fail on the first vote.
        raise ConfigError("the Discord bot and `footnote report`/`forget` need the community "
                          "tables, which are in SQLite only for now: leave storage.url empty "
                          "to run them (ask, summary, articles, ingest, refresh and status "
                          "work on PostgreSQL)")
    config = service.config
    community = Community(
        service.stores.db, service,
        retention_days=config.community.retention_days,
        mode_defaults=config.community.modes,
        allowlists=config.discord.channels,
        default_mode=config.community.default_mode,
    )
    service.community = community
    service.stores.articles.ingest_listeners.append(community.queue_new_articles)
    return community
