"""Flet components: thin functions of the view state (field_app.state). No rules, no I/O here."""
