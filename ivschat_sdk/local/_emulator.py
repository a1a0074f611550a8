"""The local IVS Chat's front: the service's rest-json protocol over any transport.

:class:`LocalIvsChat` takes a raw HTTP request (:class:`WireRequest`: method, raw path,
raw query, headers, body) and returns the raw answer (:class:`WireResponse`), exactly as the
service would put it on the wire. The in-process botocore transport
(:mod:`ivschat_sdk.testing`) and the HTTP server both feed it; neither holds any service logic.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import attrs

from .._constraints import check_request, drop_null_members, service_model
from ._backend import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    LOGS_BUFFER,
    LOGS_INTERVAL,
    Backend,
    chat_log_writer,
)
from ._chat import ChatHub, ReviewHandler
from ._errors import (
    ERROR_STATUS,
    ServiceError,
    constraint_violations,
    throttled,
    validation_error,
)
from ._lambda import LambdaHandler, as_review_handler
from ._rates import API_RATE_LIMITS
from ._records import ChatSession, Context
from ._store import StateStore, read_state_file, write_json_atomically

__all__ = [
    "API_RATE_LIMITS",
    "LOGS_INTERVAL",
    "MAX_BODY_BYTES",
    "LocalIvsChat",
    "WireRequest",
    "WireResponse",
]

_log = logging.getLogger("ivschat_sdk.local")

MAX_BODY_BYTES = 1024 * 1024
"""Request bodies above this size are refused with 413; no ivschat request comes near it."""

_TAGS_PATH = re.compile(r"(?:^|/)tags/([^/]+)/?$")
_OPERATION_PATH = re.compile(r"(?:^|/)([A-Za-z]+)/?$")
_REGION = re.compile(r"[a-z0-9-]+")
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[0-9]{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_TAG_METHODS = {
    "GET": "ListTagsForResource",
    "POST": "TagResource",
    "DELETE": "UntagResource",
}
_JSON_HEADERS = {"Content-Type": "application/json"}


@attrs.frozen(kw_only=True)
class WireRequest:
    """A request as it arrived: nothing decoded yet."""

    method: str
    """The HTTP method, e.g. ``POST``."""
    path: str
    """The raw (still percent-encoded) path, e.g. ``/tags/arn%3Aaws%3A...%2Fabc``."""
    query: str = ""
    """The raw query string, without ``?``."""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    """The request headers, names in lower case."""
    body: bytes = b""
    """The raw body."""


@attrs.frozen(kw_only=True)
class WireResponse:
    """An answer ready for the wire."""

    status: int
    """The HTTP status."""
    headers: dict[str, str]
    """Response headers (``Content-Type``, ``x-amzn-RequestId``, ``x-amzn-ErrorType``)."""
    body: bytes
    """The JSON body (empty for 204)."""

    def json(self) -> Any:
        """The body, decoded (None when empty)."""
        return json.loads(self.body) if self.body else None


@attrs.define
class _Fault:
    remaining: int
    error: str
    message: str


def _operations() -> dict[str, str]:
    """Operation name -> backend method name, from the service model."""
    model = service_model()
    return {name: re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in model.operation_names}


class LocalIvsChat:
    """An in-memory Amazon IVS Chat that answers requests as the service does.

    It keeps rooms, logging configurations, tags and chat tokens per account and region,
    generates ARNs and 12-character ids, enforces every documented constraint and answers
    with the service's status codes, headers and JSON. Use it through
    :func:`ivschat_sdk.testing.mock_ivschat` (in process) or the ``ivschat-local`` server.

    Args:
        account_id: The account ARNs name, unless a request's access key id is itself a
            12-digit account id (then that account is used, as in moto).
        clock: Returns the current time (aware UTC); tests can pass a fake one to expire
            tokens without waiting.
        room_quota: Rooms per account and region; None (default) for no limit.
        logging_configuration_quota: Logging configurations per account and region (10).
        region: Serve every request as this region; by default each request is served in
            the region its signature names, like the service.
        rate_limits: Enforce the service's API rate quotas (:data:`API_RATE_LIMITS`),
            answering ``ThrottlingException`` above them. Off by default.
        state_file: Keep rooms and logging configurations in this file (an SQLite
            database, created if missing; a JSON state saved by :meth:`save_state` is
            migrated): they are loaded from it now, and every change is written to it, in
            one committed transaction, before the request is answered. None (default)
            keeps them in memory only. Call :meth:`close` when done.
        state_sync: ``"normal"`` (default: a write survives the process being killed in any
            way) or ``"full"`` (each write also waits for the disk: survives power loss).
        strict_review_handlers: Refuse ``CreateRoom`` and ``UpdateRoom`` naming a
            ``messageReviewHandler.uri`` that has no registered review handler, with the
            ``ValidationException`` the service answers when IVS Chat may not invoke the
            Lambda function ("invalid lambda permission"), so that a missing permission shows
            before deploying. Off by default: such a room is created, and its messages get
            its ``fallbackResult``, as when the service cannot invoke the function.
        logs_dir: Write chat logs into this folder (created if missing): every message and
            event of a room goes to each of its ``ACTIVE`` logging configurations, in the
            service's format, laid out like the S3 bucket (``logs_dir/<bucket>/AWSLogs/...``;
            CloudWatch Logs and Firehose configurations under ``_cloudwatch_logs/<group>/``
            and ``_firehose/<stream>/``). See ``docs/logging.md``.
        logs_to_aws: Write chat logs through boto3 clients (the configuration's region, the
            default credentials) to the configured S3 bucket, CloudWatch Logs group or
            Firehose delivery stream; inside moto's ``mock_aws()``, moto's.
        logs_endpoint_url: Like ``logs_to_aws``, to this AWS-compatible endpoint (a moto
            server, LocalStack), with dummy credentials when there are none.
        logs_interval: Seconds between two writes of the buffered records (2); the chat
            fan-out only buffers. :meth:`flush_chat_logs` writes at once, and :meth:`close`
            and ``LocalServer.stop()`` write what is left. Without ``logs_dir``,
            ``logs_to_aws`` or ``logs_endpoint_url``, logging configurations are metadata
            only and nothing is written.
        logs_buffer: Records waiting to be written at most (100,000); beyond, new ones are
            dropped and counted in a warning.

    Raises:
        ValueError: A bad argument, or a state file that is not one (damaged, foreign,
            holding fields of the wrong type) or cannot be written; in one line.

    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        clock: Callable[[], datetime] | None = None,
        room_quota: int | None = None,
        logging_configuration_quota: int = 10,
        region: str | None = None,
        rate_limits: bool = False,
        state_file: str | os.PathLike[str] | None = None,
        state_sync: str = "normal",
        strict_review_handlers: bool = False,
        logs_dir: str | os.PathLike[str] | None = None,
        logs_to_aws: bool = False,
        logs_endpoint_url: str | None = None,
        logs_interval: float = LOGS_INTERVAL,
        logs_buffer: int = LOGS_BUFFER,
    ) -> None:
        if not re.fullmatch(r"[0-9]{12}", account_id):
            raise ValueError(f"account_id must be 12 digits, not {account_id!r}")
        if region is not None and not _REGION.fullmatch(region):
            raise ValueError(f"region must look like us-west-2, not {region!r}")
        self.account_id = account_id
        self.region = region
        chat_logs = chat_log_writer(
            logs_dir=logs_dir, logs_to_aws=logs_to_aws, logs_endpoint_url=logs_endpoint_url,
            interval=logs_interval, capacity=logs_buffer,
        )  # fmt: skip
        store = StateStore(state_file, sync=state_sync) if state_file is not None else None
        self._backend = Backend(
            clock=clock,
            room_quota=room_quota,
            logging_configuration_quota=logging_configuration_quota,
            rate_limits=rate_limits,
            store=store,
            chat_logs=chat_logs,
        )
        self._operations = _operations()
        self._faults: dict[str, list[_Fault]] = {}
        self._lock = self._backend.lock
        self.call_counts: collections.Counter[str] = collections.Counter()
        """How many requests each operation received (rejected ones included)."""
        self.strict_review_handlers = strict_review_handlers
        """Whether a room may name only a review handler registered here (see above)."""
        self._chat_logs = chat_logs

    # -- control ------------------------------------------------------------------------

    def fail_next(
        self,
        operation: str,
        *,
        count: int = 1,
        error: str = "ThrottlingException",
        message: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``operation`` fail with ``error``.

        Args:
            operation: The operation, e.g. ``"CreateRoom"``, or ``"*"`` for any.
            count: How many calls fail, at least 1.
            error: The AWS error code to answer with, e.g. ``ThrottlingException`` (429),
                ``InternalServerException`` (500), ``AccessDeniedException``.
            message: The error message; a default names the injected fault.

        Raises:
            ValueError: Unknown operation or error code, or ``count`` below 1.

        """
        if operation != "*" and operation not in self._operations:
            raise ValueError(f"unknown operation {operation!r}; e.g. 'CreateRoom' or '*'")
        if error not in ERROR_STATUS:
            raise ValueError(f"unknown error {error!r}; one of {', '.join(sorted(ERROR_STATUS))}")
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        with self._lock:
            self._faults.setdefault(operation, []).append(
                _Fault(count, error, message or f"Injected {error} for {operation}")
            )

    def reset(self) -> None:
        """Forget every resource, token, pending fault, call count and review handler.

        Open chat connections are closed (code 1000).
        """
        with self._lock:
            self._backend.reset()
            self._faults.clear()
            self.call_counts.clear()

    def export_state(self) -> dict[str, Any]:
        """The rooms and logging configurations, as JSON-ready data (tokens are left out)."""
        with self._lock:
            return self._backend.export_state()

    def import_state(self, data: Any) -> None:
        """Replace all rooms and logging configurations with :meth:`export_state`'s data.

        Raises:
            ValueError: ``data`` is not a state :meth:`export_state` wrote; nothing changes.

        """
        with self._lock:
            self._backend.import_state(data)

    def save_state(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`export_state` to a JSON file, atomically.

        The file holds either its old content or the whole new state, whatever happens
        meanwhile (the text is written beside it, flushed to disk, then renamed over it).
        """
        write_json_atomically(Path(path), self.export_state())

    def load_state(self, path: str | os.PathLike[str]) -> None:
        """Replace all rooms and logging configurations with those saved in ``path``.

        ``path`` is a JSON state (:meth:`save_state`) or a state file (``state_file``,
        ``ivschat-local --state``). Every field is checked before anything changes.

        Raises:
            ValueError: The file does not hold a saved state, or holds a field of the wrong
                type; nothing changes.
            OSError: The file cannot be read.
        """
        seq, regions = read_state_file(path)
        with self._lock:
            self._backend.replace_state(seq, regions)

    @property
    def state_file(self) -> Path | None:
        """The state file written through (``state_file=``), or None."""
        store = self._backend.store
        return store.path if store is not None else None

    def sweep(self) -> None:
        """Free expired chat tokens and idle rate-limit windows now.

        Every request does it too; the server also calls it every second, so that an idle
        server frees them within seconds.
        """
        with self._lock:
            self._backend.sweep()

    def close(self) -> None:
        """Write the buffered chat logs, stop writing them, close the state file (idempotent)."""
        if self._chat_logs is not None:
            self._chat_logs.close()  # not under the lock: the writer's thread may wait for it
        with self._lock:
            self._backend.close()

    def flush_chat_logs(self) -> None:
        """Write every buffered chat log record now (with ``logs_dir`` or ``logs_to_aws``).

        Returns once each destination was tried: what was broadcast before the call is then
        in the folder, bucket, log group or delivery stream (or failed and was logged). A
        no-op when chat logs are off. Do not call it while holding the emulator's lock.
        """
        if self._chat_logs is not None:
            self._chat_logs.flush()

    def redeem_chat_token(self, token: str) -> ChatSession | None:
        """Use a chat token to open a connection: once, within its minute, for a live room.

        Returns the session it grants, or None if the token is unknown, already used,
        expired, or its room was deleted.
        """
        result = self.open_chat(token)
        return result if not isinstance(result, int) else None

    def open_chat(self, token: str) -> ChatSession | int:
        """Redeem a token for a chat connection, or say which HTTP status refuses it.

        401: unknown, used or expired token; 404: its room was deleted.
        """
        with self._lock:
            return self._backend.redeem_chat_token(token)

    def now(self) -> datetime:
        """The emulator's current time (its clock's)."""
        return self._backend.now()

    @property
    def chat(self) -> ChatHub:
        """The chat connections and what happens to them (used by the WebSocket endpoint)."""
        return self._backend.chat

    def register_review_handler(self, uri: str, handler: ReviewHandler | LambdaHandler) -> None:
        """Run ``handler`` as the message review handler whose Lambda ARN is ``uri``.

        A room whose ``messageReviewHandler.uri`` is ``uri`` calls it for every message it is
        sent, with the service's payload (``Content``, ``MessageId``, ``RoomArn``,
        ``Attributes``, ``Sender``); it returns (or, if async, awaits to) a dict with
        ``ReviewResult`` (``ALLOW`` or ``DENY``) and optionally a new ``Content`` and
        ``Attributes``. An exception, a malformed answer or more than 200 ms applies the
        room's ``fallbackResult``. A sync handler runs on a worker thread.

        ``handler`` is either a callable of the payload alone, or a Python Lambda handler
        ``(event, context) -> dict`` as deployed: a :func:`~ivschat_sdk.review.review_handler`
        handler, or any function whose first two positional parameters are required (or whose
        second is named ``context``). A Lambda handler is invoked as Lambda would
        (:func:`~ivschat_sdk.review.invoke_lambda_handler`): with a JSON copy of the payload
        and a :class:`~ivschat_sdk.review.LocalLambdaContext` for ``uri``, its answer read back
        through JSON. An ``async def`` review function runs on the server's event loop.

        A handler may be registered before or after the rooms that name it; registering one
        for ``uri`` again replaces it.

        Raises:
            TypeError: ``handler`` is not callable, or takes no argument or more than two.

        """
        review = as_review_handler(uri, handler)
        with self._lock:
            self._backend.chat.review_handlers[uri] = review

    # -- the protocol ---------------------------------------------------------------------

    def handle(self, request: WireRequest) -> WireResponse:
        """Answer one request as the service would; never raises for bad input."""
        request_id = str(uuid.uuid4())
        operation = "?"
        try:
            ctx = self._context(request)
            operation, params = self._parse(request)
            params = drop_null_members(operation, params)
            with self._lock:
                self.call_counts[operation] += 1
                self._inject_fault(operation, params)
                self._check_rate(ctx, operation)
                problems = check_request(operation, params)
                if problems:
                    raise constraint_violations(problems)
                if self.strict_review_handlers:
                    self._check_review_handler(operation, params)
                self._backend.sweep()
                method = getattr(self._backend, self._operations[operation])
                try:
                    result = method(ctx, params)
                finally:
                    self._backend.commit()  # before the answer: acknowledged means stored
        except ServiceError as err:
            _log.debug("%s %s -> %d %s", request.method, operation, err.status, err.code)
            return WireResponse(
                status=err.status,
                headers={
                    **_JSON_HEADERS,
                    "x-amzn-RequestId": request_id,
                    "x-amzn-ErrorType": err.code,
                },
                body=json.dumps(err.body(), separators=(",", ":")).encode(),
            )
        _log.debug("%s %s -> ok", request.method, operation)
        if result is None:
            return WireResponse(status=204, headers={"x-amzn-RequestId": request_id}, body=b"")
        return WireResponse(
            status=200,
            headers={**_JSON_HEADERS, "x-amzn-RequestId": request_id},
            body=json.dumps(result, separators=(",", ":")).encode(),
        )

    def _context(self, request: WireRequest) -> Context:
        auth = request.headers.get("authorization")
        if not auth:
            raise ServiceError(
                "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        match = _CREDENTIAL.search(auth)
        if match is None:
            raise ServiceError(
                "MissingAuthenticationTokenException",
                "Authorization header requires a SigV4 'Credential' parameter",
            )
        access_key, region, _service = match.groups()
        account = access_key if re.fullmatch(r"[0-9]{12}", access_key) else self.account_id
        if self.region is not None:
            region = self.region
        elif not _REGION.fullmatch(region):
            region = DEFAULT_REGION
        return Context(account_id=account, region=region)

    def _check_rate(self, ctx: Context, operation: str) -> None:
        """Refuse a call above the operation's quota over the last second (sliding window)."""
        limit = self._backend.take_api_rate(ctx.account_id, ctx.region, operation)
        if limit is not None:
            raise throttled(
                ctx.account_id, "ROOM", limit,
                f"Rate exceeded: {operation} allows {limit} requests per second",
            )  # fmt: skip

    def _parse(self, request: WireRequest) -> tuple[str, dict[str, Any]]:
        path = request.path.split("?", 1)[0]
        tags = _TAGS_PATH.search(path)
        if tags is not None:
            operation = _TAG_METHODS.get(request.method.upper())
            if operation is None:
                raise _unknown_operation(request)
            try:
                arn = unquote(tags.group(1), errors="strict")
            except UnicodeDecodeError:
                raise validation_error(
                    "The resource ARN in the path is not valid UTF-8",
                    [("resourceArn", "must be valid percent-encoded UTF-8")],
                ) from None
            params: dict[str, Any] = {"resourceArn": arn}
            if operation == "UntagResource":
                query = parse_qs(request.query, keep_blank_values=True)
                params["tagKeys"] = query.get("tagKeys", [])
            elif operation == "TagResource":
                body = _json_body(request.body)
                if "tags" in body:
                    params["tags"] = body["tags"]
            return operation, params
        match = _OPERATION_PATH.search(path)
        if (
            match is None
            or match.group(1) not in self._operations
            or request.method.upper() != "POST"
        ):
            raise _unknown_operation(request)
        return match.group(1), _json_body(request.body)

    def _check_review_handler(self, operation: str, params: dict[str, Any]) -> None:
        """With ``strict_review_handlers``: a room may only name a registered review handler."""
        if operation not in ("CreateRoom", "UpdateRoom"):
            return
        handler = params.get("messageReviewHandler")
        uri = handler.get("uri") if isinstance(handler, dict) else None
        if uri and uri not in self._backend.chat.review_handlers:
            raise _invalid_lambda_permission()

    def _inject_fault(self, operation: str, params: dict[str, Any]) -> None:
        for key in (operation, "*"):
            queue = self._faults.get(key)
            if not queue:
                continue
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            members: dict[str, Any] = {}
            if fault.error in (
                "ThrottlingException", "ServiceQuotaExceededException",
                "ResourceNotFoundException", "ConflictException",
            ):  # fmt: skip
                identifier = str(
                    params.get("roomIdentifier") or params.get("identifier")
                    or params.get("resourceArn") or ""
                )  # fmt: skip
                members = {
                    "resourceId": identifier.rpartition("/")[2] or "unknown",
                    "resourceType": "ROOM",
                }
                if fault.error in ("ThrottlingException", "ServiceQuotaExceededException"):
                    members["limit"] = 1
            raise ServiceError(fault.error, fault.message, **members)


def _invalid_lambda_permission() -> ServiceError:
    """The ``ValidationException`` for a review handler IVS Chat may not invoke.

    The service answers it to ``CreateRoom`` and ``UpdateRoom`` when the Lambda function has no
    resource-based policy letting ``ivschat.amazonaws.com`` invoke it; its message is the one
    public reports quote. The local IVS Chat answers it, with ``strict_review_handlers``, for
    a ``uri`` that has no registered review handler.
    """
    return validation_error(
        "Request member: uri failed to satisfy the constraints: invalid lambda permission",
        [
            (
                "messageReviewHandler.uri",
                "invalid lambda permission: the local IVS Chat has no review handler registered "
                "for this uri (register_review_handler, or ivschat-local --review-handler)",
            )
        ],
    )


def _unknown_operation(request: WireRequest) -> ServiceError:
    return validation_error(
        f"No operation matches {request.method} {request.path.split('?', 1)[0][:200]}",
        reason="UNKNOWN_OPERATION",
    )


def _json_body(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise ServiceError(
            "RequestEntityTooLargeException",
            f"Request body of {len(body)} bytes is above the limit of {MAX_BODY_BYTES}",
        )
    if not body.strip():
        return {}
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ServiceError("SerializationException", "The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ServiceError("SerializationException", "The request body must be a JSON object")
    return data
