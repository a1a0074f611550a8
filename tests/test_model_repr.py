"""The models' ``repr`` is written once (``_models.model_repr``) and must be attrs' own.

Each model class below is compared with an attrs class of the same name and fields whose
``__repr__`` attrs generates: same text for the same values, hidden fields (the chat token)
hidden, custom field reprs used, and ``...`` for an object met again while it is shown.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import attrs
import pytest

from ivschat_sdk import (
    ChatToken,
    CloudWatchLogsDestinationConfiguration,
    FallbackResult,
    FirehoseDestinationConfiguration,
    LoggingConfiguration,
    LoggingConfigurationState,
    LoggingConfigurationSummary,
    MessageReviewHandler,
    Page,
    Room,
    RoomSummary,
    S3DestinationConfiguration,
    UnknownDestinationConfiguration,
    ValidationExceptionField,
)
from ivschat_sdk._constraints import Violation
from ivschat_sdk._models import model_repr

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
ARN = "arn:aws:ivschat:us-west-2:123456789012:"
HANDLER = MessageReviewHandler(uri="arn:aws:lambda:us-west-2:1:function:f")
S3 = S3DestinationConfiguration(bucket_name="bucket")
ROOM = Room(
    arn=ARN + "room/AbCdEfGh1234", id="AbCdEfGh1234", name="lobby", create_time=T0,
    update_time=T0, message_review_handler=HANDLER, tags={"k": "v", "é": "'"},
    logging_configuration_identifiers=(ARN + "logging-configuration/x",),
    maximum_message_rate_per_second=10, maximum_message_length=500,
)  # fmt: skip
SUMMARY = LoggingConfigurationSummary(
    arn=ARN + "logging-configuration/x", id="x", create_time=T0, update_time=T0,
    destination_configuration=S3, state="MIGRATING",
)  # fmt: skip
MODELS: list[Any] = [
    HANDLER,
    MessageReviewHandler(uri="", fallback_result=FallbackResult.DENY),
    ROOM,
    RoomSummary(arn=ROOM.arn, id=ROOM.id, create_time=T0, update_time=T0),
    ChatToken(token="secret", token_expiration_time=T0, session_expiration_time=T0),
    S3,
    CloudWatchLogsDestinationConfiguration(log_group_name="/aws/ivschat"),
    FirehoseDestinationConfiguration(delivery_stream_name="stream"),
    UnknownDestinationConfiguration(kind="kafka", value={"topic": "t"}),
    SUMMARY,
    LoggingConfiguration(
        arn=SUMMARY.arn, id="x", name="n", create_time=T0, update_time=T0,
        destination_configuration=S3, state=LoggingConfigurationState.ACTIVE, tags={"a": "b"},
    ),
    Page(items=(ROOM, ROOM), next_token="token"),
    Page(items=(), next_token=None),
    ValidationExceptionField(name="name", message="too long"),
    Violation("tags['k']", "must be at most 256 characters long", "Member must...", "'v'"),
]  # fmt: skip


def attrs_twin(cls: type[Any]) -> Any:
    """An attrs class with ``cls``'s name and fields, and the ``__repr__`` attrs generates."""
    fields = attrs.fields(cls)
    return attrs.make_class(
        cls.__name__, {a.name: attrs.field(repr=a.repr) for a in fields}, frozen=True
    )


def attrs_repr(obj: Any) -> str:
    """The repr attrs generates for a class like ``obj``'s, of ``obj``'s values."""
    fields = attrs.fields(type(obj))
    return repr(attrs_twin(type(obj))(*[getattr(obj, a.name) for a in fields]))


@pytest.mark.parametrize("obj", MODELS, ids=lambda obj: type(obj).__name__)
def test_repr_is_the_one_attrs_generates(obj: Any) -> None:
    """Same text as attrs' generated ``__repr__``, from the one shared function."""
    assert type(obj).__repr__ is model_repr
    assert repr(obj) == attrs_repr(obj)
    assert str(obj) == repr(obj)


def test_the_chat_token_is_never_shown() -> None:
    """The token field is left out of the repr, as before."""
    token = ChatToken(token="s3cr3t-token", token_expiration_time=T0, session_expiration_time=T0)
    assert "s3cr3t" not in repr(token)
    assert repr(token).startswith("ChatToken(token_expiration_time=")


def test_an_object_met_again_is_shown_as_dots() -> None:
    """A cycle through a model ends in ``...`` where the model comes back, as in attrs."""

    class Back:
        page: Any = None

        def __repr__(self) -> str:
            return f"Back({self.page!r})"

    shown = []
    for cls in (Page, attrs_twin(Page)):
        back = Back()
        back.page = cls(items=(back, HANDLER), next_token=None)
        shown.append(repr(back.page))
    assert shown[0] == shown[1]
    assert shown[0].startswith("Page(items=(Back(...), MessageReviewHandler(uri=")


def test_a_subclass_shows_its_own_name_and_fields() -> None:
    """Room and LoggingConfiguration share their base's function and show their own fields."""
    assert repr(ROOM).startswith("Room(arn=")
    assert repr(ROOM).endswith("maximum_message_rate_per_second=10, maximum_message_length=500)")
