"""The back office: the secretariat's commands for assemblies, timelines, meetings and materials."""
