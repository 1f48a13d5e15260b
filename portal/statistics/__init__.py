"""Statistics for the communication team: questions (per event, theme, region, language, month)
and the reach of the answers (plays counted server-side, feed, embed and oEmbed views)."""
