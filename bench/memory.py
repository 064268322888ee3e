"""`make bench`'s streaming scenario: a web worker's peak memory while it takes and serves a file.

Issue 14: uploading and downloading a 20 MB file streams, so the worker's peak memory does not
grow with the file's size. One gunicorn sync worker of its own (a `MEDIA_ROOT` in a temporary
folder) takes each file through the API (`POST /api/v1/attachments/`, multipart, the staff
token) and serves it back (`GET /api/v1/attachments/ID/download/`), first at the smallest size
then at the largest. Around each request the harness reads the worker's resident memory
(`VmRSS`), resets its high-water mark (writing 5 to `/proc/PID/clear_refs`) and reads the new
mark (`VmHWM`) once the answer is complete: the request's growth is the mark less the memory
before it. The target: the largest file's growth exceeds the smallest's by less than
`GROWTH_LIMIT_MB`, for the upload and for the download.

The harness sends the body from a file on disk in chunks and reads the download in chunks, so
its own memory is not what is measured (it is another process anyway). The attachments are
deleted afterwards and the temporary folder removed.
"""

import http.client
import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

MB = 1024 * 1024
DEFAULT_SIZES_MB = (1, 20)
GROWTH_LIMIT_MB = 5.0
CHUNK = 256 * 1024
#: What makes the file a PDF for the type check (read from the content); the rest is random bytes.
PDF_HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak(pid: int) -> None:
    """Reset the process's peak resident size to its current one (Linux 4.0+, the same user)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def sample_file(directory: Path, size_mb: int) -> Path:
    path = directory / f"sample-{size_mb}mb.pdf"
    with path.open("wb") as out:
        out.write(PDF_HEAD)
        left = size_mb * MB - len(PDF_HEAD)
        while left > 0:
            chunk = os.urandom(min(CHUNK, left))
            out.write(chunk)
            left -= len(chunk)
    return path


def upload(port: int, token: str, target: tuple[str, int], path: Path) -> dict:
    """POST the file as multipart, streamed from disk; the created attachment (JSON)."""
    boundary = uuid.uuid4().hex
    fields = {"target_type": target[0], "target_id": str(target[1]), "kind": "report", "title": "bench"}
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with path.open("rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk
        yield tail

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "POST",
            "/api/v1/attachments/",
            body=body(),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
            },
        )
        response = connection.getresponse()
        data = response.read()
        if response.status != 201:
            raise RuntimeError(f"upload answered {response.status}: {data[:300]!r}")
        return json.loads(data)
    finally:
        connection.close()


def download(port: int, token: str, attachment_id: int) -> int:
    """GET the file, read in chunks and dropped; how many bytes came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "GET", f"/api/v1/attachments/{attachment_id}/download/", headers={"Authorization": f"Token {token}"}
        )
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"download answered {response.status}")
        received = 0
        while chunk := response.read(CHUNK):
            received += len(chunk)
        return received
    finally:
        connection.close()


def measured(pid: int, action) -> tuple[object, float, float]:
    """Run `action`; its result, the worker's memory before (MB) and its peak growth during it (MB)."""
    before = status_kb(pid, "VmRSS")
    reset_peak(pid)
    result = action()
    time.sleep(0.05)  # the worker finishes the response after the client has read it
    peak = status_kb(pid, "VmHWM")
    return result, before / 1024, max(peak - before, 0) / 1024


def why_not_measurable() -> str:
    """Empty when this machine can measure a worker's peak (Linux, a resettable high-water mark)."""
    try:
        reset_peak(os.getpid())
        status_kb(os.getpid(), "VmHWM")
    except (OSError, LookupError) as error:
        return f"not available: cannot reset a process's peak memory here ({error})"
    return ""


def streaming_memory(server, port: int, token: str, target: tuple[str, int], sizes_mb, log) -> dict:
    """Measure the upload and the download of each size in one fresh worker started by `server`.

    `server(port, workers, extra_env)` is the harness's gunicorn context manager; `target` is the
    record ("coalitions.engagement", id) the files are attached to.
    """
    from attachments.models import Attachment

    why_not = why_not_measurable()
    if why_not:
        return {"why_not": why_not}
    sizes_mb = sorted(set(sizes_mb))
    folder = Path(tempfile.mkdtemp(prefix="bench-streaming-"))
    created: list[int] = []
    rows = []
    try:
        files = {size: sample_file(folder, size) for size in sizes_mb}
        env = {"MEDIA_ROOT": str(folder / "media"), "ATTACHMENT_MAX_BYTES": str((max(sizes_mb) + 1) * MB)}
        with server(port, 1, env) as master:
            from bench.run import worker_pids

            (worker,) = worker_pids(master)
            # Warm the worker (imports, URL resolver, the first connection) on the smallest file, twice.
            for _ in range(2):
                created.append(upload(port, token, target, files[sizes_mb[0]])["id"])
                download(port, token, created[-1])
            for size in sizes_mb:
                attachment, rss_before, up = measured(
                    worker, lambda size=size: upload(port, token, target, files[size])
                )
                created.append(attachment["id"])
                received, _rss, down = measured(worker, lambda pk=attachment["id"]: download(port, token, pk))
                if received != size * MB or attachment["size"] != size * MB:
                    raise RuntimeError(f"{size} MB: stored {attachment['size']} bytes, downloaded {received}")
                rows.append(
                    {
                        "size_mb": size,
                        "rss_before_mb": round(rss_before, 1),
                        "upload_growth_mb": round(up, 2),
                        "download_growth_mb": round(down, 2),
                    }
                )
                log(
                    f"  streaming {size} MB: upload +{up:.2f} MB, download +{down:.2f} MB "
                    f"(worker at {rss_before:.0f} MB)"
                )
    finally:
        Attachment.objects.filter(pk__in=created).delete()
        shutil.rmtree(folder, ignore_errors=True)
    small, large = rows[0], rows[-1]
    return {
        "sizes_mb": sizes_mb,
        "rows": rows,
        "upload_growth_difference_mb": round(large["upload_growth_mb"] - small["upload_growth_mb"], 2),
        "download_growth_difference_mb": round(large["download_growth_mb"] - small["download_growth_mb"], 2),
        "limit_mb": GROWTH_LIMIT_MB,
    }
