"""The direct request path of the clients the SDK builds: botocore's request, made in one step.

Profiled, a small call through botocore spends most of its time in machinery that gives the
same result on every call of a client: about twelve events, parameter validation (which
the SDK's own checks already did), serialization through the model, endpoint-ruleset
resolution, request objects built, copied and prepared, and a general SigV4 signer. Once an
operation has been called once through botocore's standard path, a client the SDK built
knows all of that, and :class:`DirectPath` makes each later request of that operation
directly: the same JSON body, URL, headers and SigV4 signature botocore would make (tests
compare them byte for byte), sent by botocore's own HTTP session.

What is kept, so that nothing around botocore notices:

* the ``before-send`` event (moto's ``mock_aws()``, ``ivschat_sdk.testing`` and anything
  else that answers requests there), ``needs-retry`` (botocore's retry handler: its attempts,
  backoff and retry quota, and the SDK's veto) and ``after-call`` (the retry quota's refill)
  are emitted as botocore emits them, with the same arguments;
* the credentials are the client's own, read per call (refreshable ones refresh);
* the answer is parsed by botocore's parser and errors are botocore's ``ClientError``.

When it is not taken: an operation whose input is not all JSON body (the tag operations put
the ARN in the path), the first call of each operation on a client (which records the
endpoint, the User-Agent and the signing scope botocore chose), a client with a handler the
direct path does not reproduce on any event it skips (a ``Stubber``, an event hook of yours,
a new botocore built-in; checked again whenever a handler is registered or removed), and
botocore's request path wrapped by an instrumentation library (OpenTelemetry, X-Ray,
Datadog). Those calls take botocore's standard path, unchanged. A ``boto3_client`` you pass
in always does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import types
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from botocore.auth import _host_from_url  # type: ignore[attr-defined]  # SigV4's host rule
from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from botocore.handlers import add_recursion_detection_header, add_retry_headers
from botocore.model import OperationModel, Shape
from botocore.utils import normalize_url_path

__all__ = ["DirectPath", "Plan"]

SKIPPED_EVENTS = (
    "provide-client-params",
    "before-parameter-build",
    "before-endpoint-resolution",
    "before-call",
    "request-created",
    "choose-signer",
    "before-sign",
    "before-parse",
    "response-received",
    "after-call-error",
)
"""The per-call events of botocore's standard path that the direct path does not emit."""

# The handlers botocore (or aiobotocore, or the SDK) registers on those events for ivschat,
# each either without effect on an ivschat request or reproduced here: the request's
# recursion-detection and retry headers, its signature and its User-Agent. Any other handler
# sends that operation through the standard path.
_REPRODUCED_HANDLERS = frozenset(
    {
        "botocore.handlers:generate_idempotent_uuid",  # no idempotency tokens in ivschat
        "botocore.handlers:_handle_request_validation_mode_member",  # no checksums either
        "botocore.handlers:add_recursion_detection_header",
        "botocore.handlers:inject_api_version_header_if_needed",  # no endpoint discovery
        "botocore.handlers:add_retry_headers",
        "botocore.handlers:set_operation_specific_signer",  # checked: the scope is SigV4's
        "botocore.handlers:_set_auth_scheme_preference_signer",
        "botocore.signers:RequestSigner.handler",
        "aiobotocore.signers:AioRequestSigner.handler",
        "botocore.retries.standard:MaxAttemptsSeeder.seed_max_attempts",
        "ivschat_sdk._fast_path:_CachedUserAgent.rebuild_and_replace_user_agent_handler",
        "ivschat_sdk._direct:DirectPath._learn",
    }
)
# botocore's standard retry handler (as the SDK's veto wraps it, or alone): it never retries
# an answer below 300, so a success need not be offered to it when it is the only handler.
# (The adaptive mode adds a rate limiter that learns from successes: then they are offered.)
_RETRY_HANDLERS = frozenset(
    {
        "ivschat_sdk._retries:_vetoing.<locals>.needs_retry",
        "botocore.retries.standard:RetryHandler.needs_retry",
        "aiobotocore.retries.standard:AioRetryHandler.needs_retry",
    }
)
# after-call handlers that are plain functions returning nothing, safe to call without the
# emitter in both the sync and the async client: the retry quota's refill.
_SYNC_AFTER_CALL = frozenset({"botocore.retries.standard:RetryQuotaChecker.release_retry_quota"})
# The headers a standard ivschat request carries when it is signed; any other sends that
# operation through the standard path.
_KNOWN_HEADERS = frozenset(
    {"content-type", "user-agent", "x-amz-date", "x-amz-security-token", "authorization",
     "x-amzn-trace-id"}
)  # fmt: skip
_CONTENT_TYPE = "application/json"
_SERVICE_EVENT = "ivschat"


def _name(handler: Any) -> str:
    function = getattr(handler, "__func__", handler)
    return f"{getattr(function, '__module__', '?')}:{getattr(function, '__qualname__', '?')}"


def _body_only(shape: Shape | None) -> bool:
    """Whether a JSON body of the wire parameters is what botocore serializes for ``shape``.

    True when every member goes in the body under its own name, and no value needs more than
    ``json.dumps`` (no timestamps, blobs or documents), all the way down.
    """
    if shape is None:
        return True
    kind = shape.type_name
    if kind in ("timestamp", "blob") or getattr(shape, "is_document_type", False):
        return False
    if kind == "structure":
        return all(
            not member.serialization.get("location")
            and member.serialization.get("name", name) == name
            and _body_only(member)
            for name, member in shape.members.items()  # type: ignore[attr-defined]
        )
    if kind == "list":
        return _body_only(shape.member)  # type: ignore[attr-defined]
    if kind == "map":
        return _body_only(shape.key) and _body_only(shape.value)  # type: ignore[attr-defined]
    return True


def _instrumented(function: Any) -> bool:
    """Whether a library (OpenTelemetry, X-Ray, Datadog...) wrapped this botocore method.

    botocore's and aiobotocore's own decorators are looked through; any other wrapper (a
    ``wrapt`` proxy, or a function whose code lives elsewhere) counts as instrumentation.
    """
    homes = tuple(
        os.path.dirname(module.__file__)
        for module in (sys.modules.get("botocore"), sys.modules.get("aiobotocore"))
        if module is not None and module.__file__
    )
    while function is not None:
        if type(function) is not types.FunctionType:
            return True
        if not function.__code__.co_filename.startswith(homes):
            return True
        function = getattr(function, "__wrapped__", None)
    return False


class Plan:
    """What every direct request of one operation on one client shares."""

    __slots__ = (
        "after_call",
        "after_call_handlers",
        "before_send",
        "canonical_prefix",
        "emit_before_send",
        "model",
        "name",
        "needs_retry",
        "path",
        "retry_check_on_success",
        "scope_suffix",
        "url",
        "user_agent",
    )

    def __init__(self, model: OperationModel, url: str, user_agent: str, scope: str) -> None:
        self.model = model
        self.name = model.name
        self.url = url
        self.user_agent = user_agent
        self.scope_suffix = scope  # "<region>/<service>/aws4_request"
        self.path = urlsplit(url).path
        canonical_path = quote(normalize_url_path(self.path), safe="/~")
        self.canonical_prefix = f"POST\n{canonical_path}\n\ncontent-type:{_CONTENT_TYPE}\nhost:{_host_from_url(url)}\nx-amz-date:"
        self.before_send = f"before-send.{_SERVICE_EVENT}.{model.name}"
        self.needs_retry = f"needs-retry.{_SERVICE_EVENT}.{model.name}"
        self.after_call = f"after-call.{_SERVICE_EVENT}.{model.name}"
        # Set from the handlers registered (DirectPath._usable_plan): an event without
        # handlers is not emitted, a success is not offered to a retry handler that never
        # retries one, and after-call handlers known to be synchronous (botocore's retry
        # quota refill) are called directly, without the (async) emitter: None emits.
        self.emit_before_send = self.retry_check_on_success = True
        self.after_call_handlers: tuple[Any, ...] | None = None


class DirectPath:
    """The direct requests of one client the SDK built (see the module doc).

    Args:
        client: A botocore or aiobotocore ``ivschat`` client the SDK just built, with the
            SDK's User-Agent cache and retry veto already installed.
        parser: The rest-json response parser (a synchronous botocore one, also for
            aiobotocore clients: an ivschat answer has no event stream to read).

    """

    __slots__ = (
        "_emitter",
        "_parser",
        "_plans",
        "_signing_key_of",
        "_snapshot",
        "_usable",
        "client",
        "config",
        "credentials",
        "emit",
        "endpoint",
    )

    def __init__(self, client: Any, parser: Any) -> None:
        self.client = client
        self.config = client.meta.config
        self.endpoint = client._endpoint
        self.credentials = client._request_signer._credentials
        self._parser = parser
        self._signing_key_of: tuple[tuple[str, str, str], bytes] | None = None
        self._plans: dict[str, Plan | None] = {}  # learned (None: standard path only)
        self._usable: dict[str, Plan] = {}  # learned, and reproducible with today's handlers
        events = client.meta.events
        self._emitter = getattr(events, "_emitter", events)
        self.emit = self._emitter.emit
        events.register_last(f"request-created.{_SERVICE_EVENT}", self._learn)
        self._snapshot = getattr(self._emitter, "_lookup_cache", None)

    @classmethod
    def for_client(cls, client: Any, parser: Any) -> DirectPath | None:
        """The direct path of ``client``, or None when its calls must all go botocore's way."""
        if client._request_signer._credentials is None:
            return None  # unsigned, or no credentials: botocore raises what it raises
        if client.meta.config.signature_version not in (None, "v4"):
            return None
        emitter = getattr(client.meta.events, "_emitter", None)
        if not hasattr(emitter, "_lookup_cache") or not hasattr(emitter, "_handlers"):
            return None  # a botocore whose event emitter this module does not know
        if _instrumented(getattr(type(client), "_make_api_call", None)):
            return None
        return cls(client, parser)

    def plan(self, operation_name: str) -> Plan | None:
        """The plan of an operation's direct requests, or None: take the standard path."""
        if self._emitter._lookup_cache is not self._snapshot:
            # A handler was registered or removed since the last look (botocore replaces
            # this cache whenever that happens): check the plans against today's handlers.
            self._snapshot = self._emitter._lookup_cache
            self._usable = {
                name: plan
                for name, plan in self._plans.items()
                if plan is not None and self._usable_plan(plan)
            }
        return self._usable.get(operation_name)

    def _handlers_of(self, event: str) -> list[Any]:
        return list(self._emitter._handlers.prefix_search(event))

    def _usable_plan(self, plan: Plan) -> bool:
        """Whether the plan can be used with today's handlers; sets which events it emits."""
        for event in SKIPPED_EVENTS:
            handlers = self._handlers_of(f"{event}.{_SERVICE_EVENT}.{plan.name}")
            if any(_name(handler) not in _REPRODUCED_HANDLERS for handler in handlers):
                return False
        plan.emit_before_send = bool(self._handlers_of(plan.before_send))
        after_call = self._handlers_of(plan.after_call)
        plan.after_call_handlers = (
            tuple(after_call) if all(_name(h) in _SYNC_AFTER_CALL for h in after_call) else None
        )
        plan.retry_check_on_success = any(
            _name(handler) not in _RETRY_HANDLERS for handler in self._handlers_of(plan.needs_retry)
        )
        return True

    # -- learning from the first standard request -----------------------------------------

    def _learn(self, request: Any, operation_name: str, **_: Any) -> None:
        """``request-created`` handler: make the plan of an operation from botocore's request.

        Runs after botocore signed the request and set its User-Agent; each operation's first
        standard request decides once whether its later requests go direct.
        """
        if operation_name not in self._plans:
            plan = self._plans[operation_name] = self._make_plan(operation_name, request)
            if plan is not None and self._usable_plan(plan):
                self._usable = {**self._usable, operation_name: plan}

    def _make_plan(self, operation_name: str, request: Any) -> Plan | None:
        model = self.client.meta.service_model.operation_model(operation_name)
        if model.http.get("method") != "POST" or not _body_only(model.input_shape):
            return None  # the tag operations: the ARN goes in the path
        url = str(request.url)
        parts = urlsplit(url)
        headers = request.headers
        names = {str(name).lower() for name in headers}
        if (
            request.method != "POST"
            or parts.query
            or not parts.path.endswith(model.http["requestUri"])
            or not names <= _KNOWN_HEADERS
            or headers.get("Content-Type") != _CONTENT_TYPE
        ):
            return None
        scope = _signing_scope(headers.get("Authorization"), names)
        user_agent = headers.get("User-Agent")
        if scope is None or not isinstance(user_agent, str):
            return None
        return Plan(model, url, user_agent, scope)

    # -- one attempt ----------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        """A call's request context: what botocore's retry handler reads and writes."""
        return {"client_config": self.config}

    def request_dict(self, plan: Plan, body: bytes, context: dict[str, Any]) -> dict[str, Any]:
        """What botocore hands ``needs-retry`` handlers as a call's ``request_dict``."""
        return {
            "url_path": plan.path,
            "query_string": "",
            "method": "POST",
            "headers": {"Content-Type": _CONTENT_TYPE, "User-Agent": plan.user_agent},
            "body": body,
            "url": plan.url,
            "context": context,
        }

    def request(
        self,
        plan: Plan,
        body: bytes,
        context: dict[str, Any],
        attempt: int,
        previous: Any,
        credentials: Any,
    ) -> AWSPreparedRequest:
        """The signed request of one attempt, as botocore's standard path would make it.

        Args:
            plan: The operation's plan.
            body: The JSON body (:func:`body`).
            context: The call's request context (:meth:`context`), shared by its attempts.
            attempt: 1 for the first attempt.
            previous: The last attempt's ``(http_response, parsed)``, or None.
            credentials: The client's frozen credentials.

        """
        self.endpoint._update_retries_context(context, attempt, previous)
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        headers = {
            "Content-Type": _CONTENT_TYPE,
            "User-Agent": plan.user_agent,
            "X-Amz-Date": amz_date,
        }
        token = credentials.token
        if token:
            headers["X-Amz-Security-Token"] = token
        headers["Authorization"] = self._authorization(plan, amz_date, body, credentials)
        add_recursion_detection_header({"headers": headers})
        prepared: Any = AWSPreparedRequest("POST", plan.url, headers, body, False)  # type: ignore[arg-type]
        prepared.context = context  # an argument of newer botocores, set alike
        add_retry_headers(prepared)
        encoded = HeadersDict({name: value.encode() for name, value in headers.items()})
        encoded["Content-Length"] = str(len(body))
        prepared.headers = encoded
        return prepared  # type: ignore[no-any-return]

    def _authorization(self, plan: Plan, amz_date: str, body: bytes, credentials: Any) -> str:
        """SigV4, exactly as botocore's ``SigV4Auth`` signs this request (a test checks)."""
        token = credentials.token
        canonical = (
            f"{plan.canonical_prefix}{amz_date}\n"
            + (f"x-amz-security-token:{' '.join(token.split())}\n" if token else "")
            + ("\ncontent-type;host;x-amz-date;x-amz-security-token\n" if token
               else "\ncontent-type;host;x-amz-date\n")
            + hashlib.sha256(body).hexdigest()
        )  # fmt: skip
        date = amz_date[:8]
        scope = f"{date}/{plan.scope_suffix}"
        string_to_sign = (
            f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n"
            f"{hashlib.sha256(canonical.encode()).hexdigest()}"
        )
        signature = hmac.new(
            self._signing_key(credentials.secret_key, date, plan.scope_suffix),
            string_to_sign.encode(),
            hashlib.sha256,
        ).hexdigest()
        signed = "content-type;host;x-amz-date;x-amz-security-token" if token else (
            "content-type;host;x-amz-date"
        )  # fmt: skip
        return (
            f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )

    def _signing_key(self, secret_key: str, date: str, scope_suffix: str) -> bytes:
        """The SigV4 signing key, derived once per secret, day and scope."""
        key_id = (secret_key, date, scope_suffix)
        cached = self._signing_key_of  # read once: another thread may replace it
        if cached is not None and cached[0] == key_id:
            return cached[1]
        key = f"AWS4{secret_key}".encode()
        for part in (date, *scope_suffix.split("/")):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        self._signing_key_of = (key_id, key)
        return key

    # -- the answer -----------------------------------------------------------------------

    def parse(self, plan: Plan, http_response: Any, body: bytes) -> dict[str, Any]:
        """botocore's parsed answer (for an error: with the error shape's modeled fields)."""
        response = {
            "headers": http_response.headers,
            "status_code": http_response.status_code,
            "context": {"operation_name": plan.name},
            "body": body,
        }
        parsed: dict[str, Any] = self._parser.parse(response, plan.model.output_shape)
        if http_response.status_code >= 300:
            code = parsed.get("Error", {}).get("Code")
            shape = plan.model.service_model.shape_for_error_code(code) if code else None
            if shape is not None:
                parsed.update(self._parser.parse(response, shape))
        return parsed

    def result(self, plan: Plan, response: Any, attempts: int) -> dict[str, Any]:
        """The parsed answer of the last attempt, or botocore's ``ClientError`` for an error."""
        http_response, parsed = response
        metadata = parsed.get("ResponseMetadata")
        if metadata is not None:
            metadata["RetryAttempts"] = attempts - 1
        if http_response.status_code >= 300:
            code = parsed.get("Error", {}).get("Code")
            raise self.client.exceptions.from_code(code)(parsed, plan.name)
        return parsed  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<DirectPath operations={sorted(k for k, v in self._plans.items() if v)}>"


def body(wire: Mapping[str, Any]) -> bytes:
    """The JSON body botocore's rest-json serializer writes for body-only wire parameters."""
    return json.dumps(wire).encode()


def _signing_scope(authorization: object, header_names: set[str]) -> str | None:
    """``<region>/<service>/aws4_request`` of botocore's signature, if it signed as we do."""
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    if not isinstance(authorization, str) or not authorization.startswith("AWS4-HMAC-SHA256 "):
        return None
    fields = dict(
        part.strip().split("=", 1) for part in authorization[17:].split(",") if "=" in part
    )
    credential = fields.get("Credential", "").split("/")
    expected = ["content-type", "host", "x-amz-date"]
    if "x-amz-security-token" in header_names:
        expected.append("x-amz-security-token")
    if len(credential) != 5 or fields.get("SignedHeaders") != ";".join(expected):
        return None
    return "/".join(credential[2:])
