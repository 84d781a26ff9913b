"""Deployment settings: the dispatcher token comes from the environment or a file (never required on the command
line, where `ps` shows it), and the service refuses to start without a lasting badge key."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch.cli import _settings, main, parser


def test_the_dispatcher_token_is_read_from_a_file(tmp_path: Path):
    token_file = tmp_path / "dispatcher-token"
    token_file.write_text("file-token-0123456789abcdef\n")
    args = parser().parse_args(
        ["serve", "--db", str(tmp_path / "d.sqlite3"), "--dispatcher-token-file", str(token_file)]
    )
    assert _settings(args).dispatcher_token == "file-token-0123456789abcdef"


def test_serve_refuses_to_start_without_a_dispatcher_token(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.delenv("FIELD_DISPATCH_DISPATCHER_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "d.sqlite3")]) == 2
    assert "FIELD_DISPATCH_DISPATCHER_TOKEN" in capsys.readouterr().err


def test_serve_refuses_to_start_without_a_badge_key(tmp_path: Path, monkeypatch, capsys):
    empty = tmp_path / "badge-keys"
    empty.write_text("# rotated out, nothing left\n")
    monkeypatch.setenv("FIELD_DISPATCH_DISPATCHER_TOKEN", "env-token-0123456789abcdef")
    monkeypatch.setenv("FIELD_DISPATCH_BADGE_KEY_FILE", str(empty))
    monkeypatch.delenv("FIELD_DISPATCH_BADGE_SECRET", raising=False)
    assert main(["serve", "--db", str(tmp_path / "d.sqlite3")]) == 2
    assert "holds no key" in capsys.readouterr().err


def test_an_unreadable_token_file_is_a_clear_error(tmp_path: Path):
    args = parser().parse_args(["serve", "--dispatcher-token-file", str(tmp_path / "missing")])
    with pytest.raises(SystemExit, match="cannot read a token"):
        _settings(args)
