"""The ordering party's pages (portal)."""
