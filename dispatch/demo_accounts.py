"""The demo's engineer and dispatcher tokens, apart from the demo data: `field-demo` shows them on the app's
sign-in screen before its demo service has started, without importing the service (dispatch.demo does)."""

DEMO_TOKENS = {"sato": "demo-sato-2026", "carter": "demo-carter-2026", "tanaka": "demo-tanaka-2026"}
DISPATCHER_DEMO_TOKEN = "demo-dispatcher-2026"
