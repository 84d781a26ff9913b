"""The assignment's documents (instructions, NDA, floor plans) as the device holds them: each opens from the
device's copy, with or without signal — in the platform's viewer (a file in the app's storage launched by
URL), or in web mode as a download from the app (the browser cannot open the device's files)."""

from __future__ import annotations

import flet as ft

from api_client.documents import DocumentRef
from api_client.wire import Assignment

from ..documents import DocumentCache
from ..state import AppState
from .widgets import section


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


async def open_document(state: AppState, ref: DocumentRef) -> None:
    cache = DocumentCache(state.store)
    page = ft.context.page
    if page.web:
        content = cache.content(ref.id)
        if content is not None:
            await ft.FilePicker().save_file(file_name=ref.name, src_bytes=content)
        return
    path = cache.file(ref.id, state.store.path.parent / "documents")
    if path is not None:
        await ft.UrlLauncher().launch_url(path.as_uri())


def documents_section(state: AppState, a: Assignment) -> ft.Control | None:
    if not a.documents:
        return None
    t = state.t
    held = DocumentCache(state.store).held()
    rows: list[ft.Control] = []
    for ref in a.documents:
        on_device = held.get(ref.id) == ref.sha256

        async def open_it(_: object = None, ref: DocumentRef = ref) -> None:
            await open_document(state, ref)

        icon = ft.Icons.PICTURE_AS_PDF if ref.content_type == "application/pdf" else ft.Icons.IMAGE
        where = t("request.doc.on_device") if on_device else t("request.doc.not_yet")
        rows.append(
            ft.Row(
                [
                    ft.Icon(icon, size=22),
                    ft.Column(
                        [
                            ft.Text(ref.name, size=15, weight=ft.FontWeight.W_600),
                            ft.Text(
                                f"{t('request.documents.kind.' + ref.kind.value)} · {_size(ref.size)} · {where}",
                                size=12,
                                color=ft.Colors.ON_SURFACE_VARIANT,
                            ),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                    ft.OutlinedButton(
                        t("request.doc.open"), icon=ft.Icons.OPEN_IN_NEW, on_click=open_it, disabled=not on_device
                    ),
                ],
                spacing=10,
            )
        )
    return section(t("request.section.documents"), ft.Icons.DESCRIPTION, rows)
