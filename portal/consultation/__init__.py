"""The public comment phase: residents' comments, organisations' consultation responses
(høringssvar) and moderation with public reasons. No Flask request access in here."""
