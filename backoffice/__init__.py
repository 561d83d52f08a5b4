"""The admin back office: accounts, knowledge editing, gated publishing, review queue, dashboard."""
