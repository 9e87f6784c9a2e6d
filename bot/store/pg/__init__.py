"""The PostgreSQL backend: one module per concern, each implementing its protocol of
`bot.store.protocols` over one `PgDatabase` (chosen by `bot.store.open_stores` for a
postgresql:// URL). Needs the `postgres` extra (psycopg 3)."""

SCHEMES = ("postgresql://", "postgres://")  # what open_stores reads as a PostgreSQL URL
