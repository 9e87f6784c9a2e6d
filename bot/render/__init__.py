"""Answer/Summary -> text: for the console, and (in discord_app) for Discord."""
