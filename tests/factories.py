"""Valid service requests to start from; each test changes only what its rule is about."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from tests.clock import clock

TOKYO_STATION = (35.681236, 139.767125)


def request_data(**overrides: Any) -> dict[str, Any]:
    start = clock() + timedelta(hours=1)  # soon: an arrival now is inside the window
    data: dict[str, Any] = {
        "title": "Replace core switch",
        "ordering_party": {
            "company": "Example Corp",
            "engineer": {"name": "Pat Lee", "phone": "+81 3-1234-5678", "email": "pat@example.com"},
        },
        "visit_start": start.isoformat(),
        "site_timezone": "Asia/Tokyo",
        "requested_at": (start - timedelta(days=5)).isoformat(),
        "languages": ["en"],
        "devices_on_site_confirmed": True,
        "locations": [
            {
                "name": "Tokyo office",
                "address": "1-9-1 Marunouchi, Chiyoda-ku, Tokyo",
                "maps_url": f"https://www.google.com/maps/search/?api=1&query={TOKYO_STATION[0]},{TOKYO_STATION[1]}",
                "floor": "5F",
                "access_notes": "Ask at reception",
                "local_contacts": [{"name": "Ken Ito", "phone": "+81 90-1111-2222"}],
            }
        ],
        "work": {"summary": "Swap the switch", "steps": [{"title": "Swap", "confirm_after": "Users online"}]},
    }
    merged = copy.deepcopy(data)
    merged.update(overrides)
    return merged
