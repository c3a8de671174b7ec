"""Public input on published drafts: comments, organisations' responses, moderation and the ledger."""
