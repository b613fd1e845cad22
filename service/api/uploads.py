"""Request bodies in more than one format, and answers in the one asked for.

`POST /projects` takes a project document (`application/json`), MS Project
XML (`application/xml`, `text/xml`), a CSV task list (`text/csv`) or any
other schedule file MPXJ reads (`application/vnd.ms-project`,
`application/octet-stream`: .mpp, XER, PMXML...);
`GET /projects/{id}` answers JSON, or MSPDI, CSV or iCalendar when the
`Accept` header asks for `application/xml`, `text/csv` or `text/calendar`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from service.api.contract import ETAG_HEADER, checked_body
from service.api.document_models import FromTemplate, ProjectDocument, ProjectOut
from service.api.schemas import EXAMPLE_PROJECT

UPLOAD_FORMATS = {
    "application/json": "json",
    "application/xml": "mspdi",
    "text/xml": "mspdi",
    "text/csv": "csv",
    # Binary schedules (.mpp, XER...) go through MPXJ, which detects the format.
    "application/vnd.ms-project": "mpxj",
    "application/octet-stream": "mpxj",
}
EXPORT_MEDIA = {
    "application/xml": "mspdi",
    "text/xml": "mspdi",
    "text/csv": "csv",
    "text/calendar": "ics",
}
UPLOAD_BODY: dict[str, Any] = checked_body(
    ProjectDocument, FromTemplate, example=EXAMPLE_PROJECT
)
UPLOAD_BODY["requestBody"]["content"].update(
    {
        "application/xml": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }
)
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": ProjectOut,
        "headers": {"ETag": ETAG_HEADER},
        "description": "the project document, or the file the Accept header asks for",
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "text/calendar": {"schema": {"type": "string"}},
        },
    }
}


@dataclass(frozen=True)
class Upload:
    kind: str  # json, mspdi or csv
    data: bytes


async def read_upload(request: Request) -> Upload:
    """The body and its format from Content-Type (default JSON); 415 if unknown."""
    media = request.headers.get("content-type", "application/json")
    media = media.split(";")[0].strip().lower()
    if media not in UPLOAD_FORMATS:
        raise HTTPException(
            415,
            f"Content-Type {media!r} not accepted: use "
            + ", ".join(sorted(UPLOAD_FORMATS)),
        )
    return Upload(UPLOAD_FORMATS[media], await request.body())


async def export_format(request: Request) -> str | None:
    """The file format the Accept header prefers, if it prefers one: among the
    media types of the highest quality, an export type and not JSON. So a
    browser (text/html first, application/xml at q=0.9) still gets JSON."""
    ranked: dict[float, list[str]] = {}
    for part in request.headers.get("accept", "").split(","):
        media, *params = (piece.strip().lower() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.setdefault(quality, []).append(media)
    best = ranked.get(max(ranked, default=0.0), [])
    if "application/json" in best:
        return None
    wanted = [EXPORT_MEDIA[media] for media in best if media in EXPORT_MEDIA]
    return wanted[0] if wanted else None


UploadDep = Annotated[Upload, Depends(read_upload)]
ExportDep = Annotated[str | None, Depends(export_format)]
