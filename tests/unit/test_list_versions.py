"""The list versions the fast lane trusts (dispatch/db.py LIST_VERSIONS_SQLITE): every change to an engineer's
lines — their team rows, their assignments — moves their version and the desk's ("*"), whoever writes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dispatch.db import create_schema, make_engine


def versions(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT scope, version FROM list_versions").fetchall())


def test_each_change_moves_exactly_the_lists_it_touches(tmp_path: Path):
    db = tmp_path / "lv.sqlite3"
    create_schema(make_engine(f"sqlite:///{db}"))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")  # rows reduced to the columns the triggers read
    columns = [r[1] for r in conn.execute("PRAGMA table_info(assignments)") if r[3] and r[4] is None]

    def add_assignment(assignment_id: str) -> None:
        values = {c: "x" for c in columns} | {"id": assignment_id}
        conn.execute(f"INSERT INTO assignments ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                     tuple(values.values()))  # fmt: skip

    add_assignment("A1")
    add_assignment("A2")
    assert versions(conn) == {"*": 2}
    conn.execute("INSERT INTO assignment_engineers (assignment_id, engineer_id) VALUES ('A1', 'alice')")
    conn.execute("INSERT INTO assignment_engineers (assignment_id, engineer_id) VALUES ('A2', 'bob')")
    assert versions(conn) == {"*": 2, "alice": 1, "bob": 1}
    conn.execute("UPDATE assignments SET status = 'approved' WHERE id = 'A1'")
    assert versions(conn) == {"*": 3, "alice": 2, "bob": 1}
    conn.execute("UPDATE assignment_engineers SET engineer_id = 'carol' WHERE assignment_id = 'A2'")
    assert versions(conn) == {"*": 3, "alice": 2, "bob": 2, "carol": 1}
    conn.execute("DELETE FROM assignment_engineers WHERE assignment_id = 'A1'")
    assert versions(conn) == {"*": 3, "alice": 3, "bob": 2, "carol": 1}
    conn.execute("INSERT INTO assignment_engineers (assignment_id, engineer_id) VALUES ('A1', 'alice')")
    conn.execute("DELETE FROM assignments WHERE id = 'A1'")  # its team is told before the row goes
    assert versions(conn) == {"*": 4, "alice": 5, "bob": 2, "carol": 1}
