"""Opening the community features over the service's own database (SQLite or PostgreSQL):
one call for the bot and the console alike."""

from __future__ import annotations

from bot.community.service import Community


def open_community(service) -> Community:
    """The service's Community, opened once over the stores' database (its own tables, same
    database) and hooked to the articles store so refreshes queue new-article announcements."""
    existing = getattr(service, "community", None)
    if isinstance(existing, Community):
        return existing
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
