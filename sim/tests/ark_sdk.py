#!/usr/bin/env python3
"""Drive seedance-sim with the official Ark Python SDK (volcengine-ark-runtime).

The SDK is the reference client: where it and the simulator disagree, the simulator is
wrong. Each check asserts values a user would rely on (statuses, a fetchable video URL,
billed tokens, cancellation), not only that the SDK's models parsed.

Usage: ark_sdk.py BASE_URL   (e.g. http://127.0.0.1:8787; or env SEEDANCE_SIM_URL)
The simulator must run in fast mode (`--fast`). Run via sim/tests/run-ark-sdk.sh.
"""

import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.request

from volcenginesdkarkruntime import Ark
from volcenginesdkarkruntime._exceptions import (
    ArkAPIConnectionError,
    ArkBadRequestError,
    ArkNotFoundError,
)

FAST = "doubao-seedance-2-0-fast-260128"
STANDARD = "doubao-seedance-2-0-260128"
KEY = "sk-ark-sdk-test"

BASE = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SEEDANCE_SIM_URL", "")).rstrip("/")
if not BASE:
    sys.exit("usage: ark_sdk.py BASE_URL (or set SEEDANCE_SIM_URL)")


def client(prefix="/api/v3", **kw):
    return Ark(base_url=BASE + prefix, api_key=KEY, **kw)


def control(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + "/_sim" + path, data=data, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def plain_get(url):
    """A plain GET, as a browser or curl would do: no Authorization header."""
    with urllib.request.urlopen(urllib.request.Request(url), timeout=10) as r:
        return r.status, r.headers.get("Content-Type"), r.read()


def text(prompt):
    return [{"type": "text", "text": prompt}]


def wait(ark, task_id, status, deadline_s=20):
    end = time.monotonic() + deadline_s
    while True:
        task = ark.content_generation.tasks.get(task_id=task_id)
        if task.status == status:
            return task
        assert time.monotonic() < end, f"{task_id} never became {status}: last {task.status}"
        time.sleep(0.05)


def test_create_get_succeeds_with_a_fetchable_video_and_billed_tokens():
    ark = client()
    created = ark.content_generation.tasks.create(
        model=FAST, content=text("a drone over an autumn valley"), ratio="16:9", duration=5,
        resolution="720p", return_last_frame=True,
    )
    assert created.id.startswith("cgt-") and len(created.id) == 24, created.id
    first = ark.content_generation.tasks.get(task_id=created.id)
    assert first.status in ("queued", "running"), first.status
    done = wait(ark, created.id, "succeeded")
    assert done.model == FAST
    assert done.usage.completion_tokens == 108900, done.usage
    assert done.usage.total_tokens == 108900
    assert (done.resolution, done.ratio, done.duration, done.framespersecond) == ("720p", "16:9", 5, 24)
    assert done.generate_audio is True and done.draft is False
    assert done.updated_at >= done.created_at
    status, ctype, body = plain_get(done.content.video_url)
    assert (status, ctype) == (200, "video/mp4"), (status, ctype)
    assert body[4:8] == b"ftyp" and len(body) > 10_000
    assert created.id.encode() in body, "the video carries its task id"
    status, ctype, png = plain_get(done.content.last_frame_url)
    assert (status, ctype, png[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")


def test_the_sdk_sends_nulls_and_bearer_auth():
    control("POST", "/reset")
    ark = client()
    ark.content_generation.tasks.create(model=FAST, content=text("x"))
    log = control("GET", "/requests")
    post = [e for e in log if e["method"] == "POST"][0]
    assert post["headers"]["authorization"] == f"Bearer {KEY}"
    assert post["body"]["seed"] is None and post["body"]["frames"] is None, post["body"]
    assert post["path"] == "/api/v3/contents/generations/tasks"


def test_reseller_prefix_works_too():
    ark = client("/seedance/api/v3")
    created = ark.content_generation.tasks.create(model=STANDARD, content=text("x"), resolution="1080p")
    assert ark.content_generation.tasks.get(task_id=created.id).resolution == "1080p"


def test_list_filters_and_newest_first():
    control("POST", "/reset")
    ark = client()
    a = ark.content_generation.tasks.create(model=FAST, content=text("one")).id
    b = ark.content_generation.tasks.create(model=STANDARD, content=text("two [queued]")).id
    wait(ark, a, "succeeded")
    page = ark.content_generation.tasks.list(page_num=1, page_size=10)
    assert page.total == 2 and [t.id for t in page.items] == [b, a], page
    assert page.items[1].usage.completion_tokens > 0
    queued = ark.content_generation.tasks.list(status="queued")
    assert [t.id for t in queued.items] == [b]
    by_model = ark.content_generation.tasks.list(model=STANDARD)
    assert [t.id for t in by_model.items] == [b]
    by_ids = ark.content_generation.tasks.list(task_ids=[a, b], page_size=1)
    assert by_ids.total == 2 and len(by_ids.items) == 1
    single = ark.content_generation.tasks.list(task_ids=a)
    assert [t.id for t in single.items] == [a]


def test_delete_cancels_a_queued_task():
    ark = client()
    held = ark.content_generation.tasks.create(model=FAST, content=text("[queued] hold me")).id
    assert ark.content_generation.tasks.get(task_id=held).status == "queued"
    ark.content_generation.tasks.delete(held)
    task = ark.content_generation.tasks.get(task_id=held)
    assert task.status == "cancelled", task.status
    try:
        ark.content_generation.tasks.delete(held)
        raise AssertionError("deleting a cancelled task must fail")
    except ArkBadRequestError as e:
        assert e.code == "OperationDenied", e.code


def test_delete_removes_a_finished_task():
    ark = client()
    tid = ark.content_generation.tasks.create(model=FAST, content=text("x")).id
    wait(ark, tid, "succeeded")
    ark.content_generation.tasks.delete(tid)
    try:
        ark.content_generation.tasks.get(task_id=tid)
        raise AssertionError("a deleted task must be gone")
    except ArkNotFoundError as e:
        assert e.status_code == 404 and e.code == "ResourceNotFound", (e.status_code, e.code)


def test_failed_task_carries_an_error():
    ark = client()
    tid = ark.content_generation.tasks.create(model=FAST, content=text("[fail] x")).id
    task = wait(ark, tid, "failed")
    assert task.error.code == "OutputVideoSensitiveContentDetected", task.error
    assert task.error.message


def test_validation_errors_surface_code_and_param():
    ark = client()
    try:
        ark.content_generation.tasks.create(model=FAST, content=text("x"), resolution="1080p")
        raise AssertionError("1080p on the fast model must be refused")
    except ArkBadRequestError as e:
        assert (e.status_code, e.code, e.param) == (400, "InvalidParameter", "resolution"), (e.code, e.param)
        assert e.request_id is not None
    try:
        ark.content_generation.tasks.create(model=FAST, content=text("x"), frames=121)
        raise AssertionError("1.x `frames` must be refused")
    except ArkBadRequestError as e:
        assert e.param == "frames"


def test_signed_url_refuses_an_authorization_header():
    ark = client()
    tid = ark.content_generation.tasks.create(model=FAST, content=text("x")).id
    url = wait(ark, tid, "succeeded").content.video_url
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {KEY}"})
    try:
        urllib.request.urlopen(req, timeout=10)
        raise AssertionError("a signed URL with Authorization must be refused")
    except urllib.error.HTTPError as e:
        assert e.code == 400 and json.loads(e.read())["Code"] == "InvalidArgument"


def test_sdk_retries_a_rate_limited_get_honouring_retry_after():
    ark = client()
    tid = ark.content_generation.tasks.create(model=FAST, content=text("x")).id
    control("POST", "/faults", {"faults": ["429=0,times=1,on=task"]})
    task = ark.content_generation.tasks.get(task_id=tid)
    assert task.id == tid
    gets = [e for e in control("GET", "/requests") if e["method"] == "GET" and e["path"].endswith(tid)]
    assert [e["status"] for e in gets[-2:]] == [429, 200], gets


def test_the_sdk_retries_a_lost_create_and_so_creates_twice():
    """Documents why our client must not copy the SDK here: a create whose answer was lost
    is retried by the SDK, and the simulator ends up with two (billed) tasks."""
    control("POST", "/reset")
    control("POST", "/faults", {"faults": ["lost-create,times=1"]})
    ark = client(max_retries=1)
    created = ark.content_generation.tasks.create(model=FAST, content=text("ambiguous"))
    posts = [e for e in control("GET", "/requests") if e["method"] == "POST"]
    assert [e["fault"] for e in posts] == ["lost-create", None], posts
    assert ark.content_generation.tasks.list().total == 2
    assert created.id
    control("POST", "/reset")
    try:
        control("POST", "/faults", {"faults": ["lost-create,times=1"]})
        client(max_retries=0).content_generation.tasks.create(model=FAST, content=text("x"))
        raise AssertionError("without retries the lost answer is a connection error")
    except ArkAPIConnectionError:
        pass
    assert client().content_generation.tasks.list().total == 1, "…yet the task exists"


def main():
    tests = [(n, f) for n, f in globals().items() if n.startswith("test_") and callable(f)]
    passed = failed = 0
    # Shorter than --fast so the run stays quick; still long enough to see queued/running.
    control("POST", "/config", {"timings": {"queued_ms": 300, "running_ms": 500}})
    for name, fn in tests:
        control("DELETE", "/faults")
        try:
            fn()
            passed += 1
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - report every failure, keep going
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
