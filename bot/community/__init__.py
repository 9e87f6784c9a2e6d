"""What a site's Discord expects of its Q&A bot: channel modes, auto-answers, feedback, the
editors' report and new-article announcements. Core logic only: never imports discord."""
