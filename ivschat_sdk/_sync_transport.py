"""The I/O half of :class:`~ivschat_sdk.IvsChatClient`: a boto3 ``ivschat`` client.

Building the boto3 client (or wrapping the caller's), closing it, and handing it to the
operations, which live in the generated ``_client`` module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING

import botocore.session
from botocore.config import Config

from . import _constraints, _core, _direct, _fast_path, _retries
from ._core import DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE, RetryMode
from ._retries import DEFAULT_NON_IDEMPOTENT_RETRIES, NonIdempotentRetries

if TYPE_CHECKING:
    import boto3
    from types_boto3_ivschat import IvschatClient
    from typing_extensions import Self

__all__ = ["SyncTransport"]


@contextlib.contextmanager
def _fast_parsing(botocore_session: botocore.session.Session) -> Iterator[None]:
    """Create clients with the SDK's response parser factory (see ``_core.parser_factory``).

    botocore reads the parser factory from the session when a client is created, so the
    factory is swapped in only for that moment and the caller's session is left as it was.
    """
    previous = botocore_session.get_component("response_parser_factory")
    botocore_session.register_component("response_parser_factory", _core.parser_factory())
    try:
        yield
    finally:
        botocore_session.register_component("response_parser_factory", previous)


class SyncTransport:
    """Builds, holds and closes the boto3 ``ivschat`` client of :class:`IvsChatClient`."""

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        boto3_session: boto3.Session | None = None,
        boto3_client: IvschatClient | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        retry_mode: RetryMode = DEFAULT_RETRY_MODE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        non_idempotent_retries: NonIdempotentRetries = DEFAULT_NON_IDEMPOTENT_RETRIES,
        config: Config | None = None,
    ) -> None:
        """Build a client for the Amazon IVS Chat control plane.

        Build one from the usual boto3 settings, or wrap a boto3 ``ivschat`` client you already
        have::

            client = IvsChatClient(region_name="us-west-2")
            client = IvsChatClient(boto3_client=boto3.client("ivschat"))

        A client the SDK builds never repeats a call that may already have created something
        (see ``non_idempotent_retries``); a wrapped ``boto3_client`` keeps its own retry
        behaviour.

        Args:
            region_name: The AWS region, e.g. ``us-west-2``; defaults to boto3's configuration.
            endpoint_url: Another endpoint, e.g. a running ``ivschat-local``.
            boto3_session: The boto3 session to build the client from.
            boto3_client: An existing boto3 ``ivschat`` client to wrap; its own configuration
                (retries included) is used as it is, and the other arguments must be left out.
            aws_access_key_id: Explicit credentials, as for ``boto3.Session``.
            aws_secret_access_key: Explicit credentials, as for ``boto3.Session``.
            aws_session_token: Explicit credentials, as for ``boto3.Session``.
            retry_mode: botocore's retry mode, ``"standard"`` (default) or ``"adaptive"``.
            max_attempts: Total attempts per call, the first included (default 3). botocore makes
                them; the SDK adds no retry loop of its own.
            non_idempotent_retries: When botocore may retry ``CreateRoom``,
                ``CreateLoggingConfiguration`` and ``SendEvent``, which create a new thing on
                every call: ``"when-unprocessed"`` (default) only after throttling or a connection
                that was refused or never established, so that a call is never carried out twice;
                ``"always"`` after any retryable failure, as for every other operation (a lost
                answer may then leave two rooms). See :data:`NON_IDEMPOTENT_OPERATIONS`.
            config: A botocore ``Config`` for everything else (timeouts, proxies, ...); the retry
                arguments above take precedence over its ``retries``.

        Raises:
            ParamValidationError: ``boto3_client`` was combined with other arguments or is not an
                ``ivschat`` client, or a retry setting is out of range.
            ConfigurationError: No region is configured, the region or the profile is unknown,
                or ``endpoint_url`` is not a URL.

        """
        if boto3_client is not None:
            _core.check_wrapped_client(
                boto3_client,
                [region_name, endpoint_url, boto3_session, aws_access_key_id,
                 aws_secret_access_key, aws_session_token, config],
                "boto3_client",
            )  # fmt: skip
            self._client = boto3_client
            self._owns_client = False
            self._direct: _direct.DirectPath | None = None
            return
        final = _core.client_config(
            retry_mode=retry_mode,
            max_attempts=max_attempts,
            non_idempotent_retries=non_idempotent_retries,
            config=config,
            session_given=boto3_session is not None,
            credentials_given=any((aws_access_key_id, aws_secret_access_key, aws_session_token)),
        )
        with _core.configuration_errors():
            if boto3_session is not None:
                with _fast_parsing(boto3_session._session):
                    self._client = boto3_session.client(
                        "ivschat", region_name=region_name, endpoint_url=endpoint_url, config=final
                    )
            else:
                # A botocore session, as boto3.Session would make, without importing boto3
                # (and s3transfer): the credential chain and configuration are botocore's.
                session = botocore.session.get_session()
                _constraints.use_fast_data_loader(session)
                session.register_component("response_parser_factory", _core.parser_factory())
                self._client = session.create_client(  # type: ignore[assignment]
                    "ivschat",
                    region_name=region_name,
                    endpoint_url=endpoint_url,
                    aws_access_key_id=aws_access_key_id,
                    aws_secret_access_key=aws_secret_access_key,
                    aws_session_token=aws_session_token,
                    config=final,
                )
        _constraints.adopt_service_model(self._client.meta.service_model)
        if _core.wants_veto(non_idempotent_retries):
            _retries.install(self._client, max_attempts)
        _fast_path.cache_user_agent(self._client)
        self._direct = _direct.DirectPath.for_client(self._client, _core.rest_json_parser())
        self._owns_client = True

    @property
    def boto3_client(self) -> IvschatClient:
        """The underlying boto3 ``ivschat`` client, for anything this SDK does not cover."""
        return self._client

    @property
    def region_name(self) -> str:
        """The AWS region the client talks to."""
        return str(self._client.meta.region_name)

    def _open_client(self) -> IvschatClient:
        return self._client

    def close(self) -> None:
        """Close the connections of a client this object built (a wrapped client is left open)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} region={self.region_name!r}"
            f" endpoint={self._client.meta.endpoint_url!r}>"
        )
