"""The I/O half of :class:`~ivschat_sdk.AsyncIvsChatClient`: an aiobotocore ``ivschat`` client.

Building the aiobotocore client when the client is entered (``async with``), closing it, and
handing it to the operations, which live in the ``_async_client`` module.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

try:
    from aiobotocore.parsers import AioResponseParserFactory, AioRestJSONParser
    from aiobotocore.retries import standard as aio_standard
    from aiobotocore.session import AioSession
except ImportError as _err:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "AsyncIvsChatClient needs aiobotocore: pip install 'ivschat-sdk[async]'"
    ) from _err
from botocore.config import Config

from . import _constraints, _core, _direct, _fast_path, _retries
from ._core import DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE, RetryMode
from ._errors import IvsChatError
from ._fast_path import CompiledShapesMixin
from ._retries import DEFAULT_NON_IDEMPOTENT_RETRIES, NonIdempotentRetries
from ._timestamps import parse_timestamp

if TYPE_CHECKING:
    from types_aiobotocore_ivschat import IvschatClient
    from typing_extensions import Self

__all__ = ["AsyncTransport"]


class _FastAioRestJSONParser(CompiledShapesMixin, AioRestJSONParser):
    """aiobotocore's rest-json parser, with compiled shapes (see :mod:`._fast_path`)."""


class _FastAioParserFactory(AioResponseParserFactory):
    def create_parser(self, protocol_name: str) -> Any:
        if protocol_name == "rest-json":
            return _FastAioRestJSONParser(**self._defaults)  # type: ignore[attr-defined]
        return super().create_parser(protocol_name)


def _parser_factory() -> AioResponseParserFactory:
    factory = _FastAioParserFactory()
    factory.set_parser_defaults(timestamp_parser=parse_timestamp)
    return factory


class AsyncTransport:
    """Builds, holds and closes the aiobotocore client of :class:`AsyncIvsChatClient`."""

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        aiobotocore_session: AioSession | None = None,
        aiobotocore_client: IvschatClient | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        retry_mode: RetryMode = DEFAULT_RETRY_MODE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        non_idempotent_retries: NonIdempotentRetries = DEFAULT_NON_IDEMPOTENT_RETRIES,
        config: Config | None = None,
    ) -> None:
        """Prepare an async client for the Amazon IVS Chat control plane.

        Open it with ``async with``, which creates the aiobotocore client, and which closes
        it on the way out::

            async with AsyncIvsChatClient(region_name="us-west-2") as client:
                room = await client.create_room(name="lobby")

        Or wrap an aiobotocore ``ivschat`` client you already opened; it is usable at once,
        and stays open when this client is closed::

            async with session.create_client("ivschat") as raw:
                client = AsyncIvsChatClient(aiobotocore_client=raw)

        Arguments and retries are those of :class:`IvsChatClient`, with an aiobotocore
        session or client in place of boto3's.

        Args:
            region_name: The AWS region, e.g. ``us-west-2``; defaults to the configuration.
            endpoint_url: Another endpoint, e.g. a running ``ivschat-local``.
            aiobotocore_session: The aiobotocore session to build the client from.
            aiobotocore_client: An open aiobotocore ``ivschat`` client to wrap; its own
                configuration (retries included) is used as it is, and the other arguments
                must be left out.
            aws_access_key_id: Explicit credentials.
            aws_secret_access_key: Explicit credentials.
            aws_session_token: Explicit credentials.
            retry_mode: botocore's retry mode, ``"standard"`` (default) or ``"adaptive"``.
            max_attempts: Total attempts per call, the first included (default 3).
            non_idempotent_retries: ``"when-unprocessed"`` (default) or ``"always"``; see
                :class:`IvsChatClient`.
            config: A botocore ``Config`` for everything else (timeouts, proxies, ...).

        Raises:
            ParamValidationError: ``aiobotocore_client`` was combined with other arguments or
                is not an ``ivschat`` client, or a retry setting is out of range.

        """
        self._client: Any = None
        self._direct: _direct.DirectPath | None = None
        self._context: Any = None
        self._closed = False
        if aiobotocore_client is not None:
            _core.check_wrapped_client(
                aiobotocore_client,
                [region_name, endpoint_url, aiobotocore_session, aws_access_key_id,
                 aws_secret_access_key, aws_session_token, config],
                "aiobotocore_client",
            )  # fmt: skip
            self._client = aiobotocore_client
            self._owns_client = False
            return
        self._owns_client = True
        self._config = _core.client_config(
            retry_mode=retry_mode,
            max_attempts=max_attempts,
            non_idempotent_retries=non_idempotent_retries,
            config=config,
            session_given=aiobotocore_session is not None,
            credentials_given=any((aws_access_key_id, aws_secret_access_key, aws_session_token)),
        )
        self._session = aiobotocore_session
        self._create_args = {
            "region_name": region_name,
            "endpoint_url": endpoint_url,
            "aws_access_key_id": aws_access_key_id,
            "aws_secret_access_key": aws_secret_access_key,
            "aws_session_token": aws_session_token,
        }
        self._veto = _core.wants_veto(non_idempotent_retries)
        self._max_attempts = max_attempts

    async def __aenter__(self) -> Self:
        if self._closed:
            raise IvsChatError("this AsyncIvsChatClient is closed; create a new one")
        if self._client is not None:
            return self
        session: Any = self._session
        if session is None:
            session = AioSession()
            _constraints.use_fast_data_loader(session)
        previous = session.get_component("response_parser_factory")
        session.register_component("response_parser_factory", _parser_factory())
        try:
            with _core.configuration_errors():
                context = session.create_client("ivschat", config=self._config, **self._create_args)
                client = await context.__aenter__()
        finally:
            if self._session is not None:  # the caller's session is left as it was
                session.register_component("response_parser_factory", previous)
        _constraints.adopt_service_model(client.meta.service_model)
        if self._veto:
            _retries.install(client, self._max_attempts, aio_standard.register_retry_handler)
        _fast_path.cache_user_agent(client)
        self._direct = _direct.DirectPath.for_client(client, _core.rest_json_parser())
        self._context, self._client = context, client
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the client this object built (a wrapped client is left open); idempotent."""
        self._closed = True
        if self._owns_client and self._context is not None:
            context, self._context = self._context, None
            await context.__aexit__(None, None, None)

    def _open_client(self) -> IvschatClient:
        if self._closed:
            raise IvsChatError("this AsyncIvsChatClient is closed; create a new one")
        if self._client is None:
            raise IvsChatError(
                "this AsyncIvsChatClient is not open: use it as "
                "`async with AsyncIvsChatClient(...) as client:`"
            )
        client: IvschatClient = self._client
        return client

    @property
    def aiobotocore_client(self) -> IvschatClient:
        """The underlying aiobotocore ``ivschat`` client, for anything this SDK does not cover.

        Raises:
            IvsChatError: The client is not open (outside ``async with``) or closed.

        """
        return self._open_client()

    @property
    def region_name(self) -> str | None:
        """The AWS region the client talks to (None until it is opened, unless given)."""
        if self._client is not None:
            return str(self._client.meta.region_name)
        region: str | None = self._create_args.get("region_name") if self._owns_client else None
        return region

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._client is not None else "not open"
        return f"<{type(self).__name__} region={self.region_name!r} {state}>"
