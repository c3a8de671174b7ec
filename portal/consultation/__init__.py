"""Public input on published drafts: residents' comments, organisations' consultation responses
(hÃ¸ringssvar), moderation with public reasons, and the response ledger. No Flask request access."""
