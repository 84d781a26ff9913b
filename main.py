"""Entry point for `flet run` and `flet build` (they look for main.py); same as the `field-app` command."""

from field_app.main import main

if __name__ == "__main__":
    raise SystemExit(main())
