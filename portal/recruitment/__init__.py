"""Recruitment and the draw: registration, quotas, the invitation lottery, draws, seats, privacy."""
