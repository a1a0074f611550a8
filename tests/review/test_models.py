"""The review contract: reading IVS Chat's event, and the answer each verdict gives."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from ivschat_sdk.review import (
    ATTRIBUTES_MAX_BYTES,
    MAX_CONTENT_LENGTH,
    Allow,
    Deny,
    InvalidVerdictError,
    MalformedEventError,
    ReviewError,
    ReviewRequest,
    ReviewSender,
    build_response,
)
from ivschat_sdk.review.testing import (
    DEFAULT_CONTENT,
    DEFAULT_IP,
    DEFAULT_MESSAGE_ID,
    DEFAULT_ROOM_ARN,
    DEFAULT_USER_ID,
    make_event,
    make_request,
)

# The request of the AWS IVS Chat user guide ("Chat message review handler"), filled in.
SERVICE_EVENT: dict[str, Any] = {
    "Content": "hello there",
    "MessageId": "ABCDEFGHIJKL",
    "RoomArn": "arn:aws:ivschat:us-west-2:123456789012:room/abcdefghijkl",
    "Attributes": {"color": "blue"},
    "Sender": {"Attributes": {"badge": "vip"}, "UserId": "alice", "Ip": "198.51.100.7"},
}


def test_the_documented_event_reads_into_the_typed_request() -> None:
    """Every documented field lands on its snake_case attribute."""
    request = ReviewRequest.from_event(SERVICE_EVENT)
    assert request == ReviewRequest(
        content="hello there",
        message_id="ABCDEFGHIJKL",
        room_arn="arn:aws:ivschat:us-west-2:123456789012:room/abcdefghijkl",
        attributes={"color": "blue"},
        sender=ReviewSender(user_id="alice", ip="198.51.100.7", attributes={"badge": "vip"}),
    )
    assert request.to_event() == SERVICE_EVENT


def test_unknown_keys_are_ignored_and_missing_or_null_maps_read_as_empty() -> None:
    """Lenient parsing: extra keys, absent or null attribute maps do not fail."""
    event = {
        "Content": "x",
        "MessageId": "m",
        "RoomArn": "r",
        "Attributes": None,
        "Sender": {"UserId": "u", "Ip": "i", "Extra": 1},
        "SomethingNew": {"nested": True},
    }
    request = ReviewRequest.from_event(event)
    assert request.attributes == {}
    assert request.sender.attributes == {}
    assert ReviewRequest.from_event({**event, "Attributes": {}}).attributes == {}


def test_the_request_is_frozen_and_its_maps_read_only() -> None:
    """Neither the request nor its attribute maps can be changed, nor the event through them."""
    event = make_event(attributes={"a": "1"})
    request = ReviewRequest.from_event(event)
    event["Attributes"]["a"] = "changed"
    assert request.attributes == {"a": "1"}
    with pytest.raises(AttributeError):
        request.content = "y"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        request.extra = "y"  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        request.attributes["a"] = "2"  # type: ignore[index]
    # Hashable: the attribute maps are left out of the hash, not out of equality.
    other = ReviewRequest.from_event(make_event(attributes={"b": "2"}))
    assert hash(request) == hash(other)
    assert request != other
    assert request != request.to_event()


@pytest.mark.parametrize(
    "value",
    [
        make_request("hi", attributes={"a": "1"}, sender_attributes={"b": "2"}),
        Allow("x", attributes={"a": "1"}),
        Allow(),
        Deny("r"),
    ],
)
def test_values_copy_and_pickle_as_themselves(value: object) -> None:
    """copy, deepcopy and pickle (e.g. to a worker process) give an equal value."""
    assert copy.copy(value) is value
    assert copy.deepcopy(value) is value
    assert pickle.loads(pickle.dumps(value)) == value


def test_verdicts_support_pattern_matching() -> None:
    """match/case reads a verdict (or a request) by its fields."""

    def describe(verdict: Allow | Deny) -> str:
        match verdict:
            case Deny(reason):
                return f"denied: {reason}"
            case Allow(None, None):
                return "as sent"
            case Allow(content, _):
                return f"as {content!r}"
        raise AssertionError

    assert [describe(v) for v in [Deny("r"), Allow(), Allow("x")]] == [
        "denied: r",
        "as sent",
        "as 'x'",
    ]
    match make_request("hi"):
        case ReviewRequest(content="hi", sender=ReviewSender(user_id=user)):
            assert user == DEFAULT_USER_ID
        case _:
            raise AssertionError


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"Content": None}, "Content", "expected a string, got null"),
        ({"Content": {"text": "hi"}}, "Content", "expected a string, got an object"),
        ({"MessageId": 12}, "MessageId", "expected a string, got a number"),
        ({"RoomArn": True}, "RoomArn", "expected a string, got a boolean"),
        ({"Sender": None}, "Sender", "missing"),
        ({"Sender": ["alice"]}, "Sender", "expected an object, got an array"),
        ({"Sender": {"Ip": "1.2.3.4"}}, "Sender.UserId", "missing"),
        ({"Sender": {"UserId": "u"}}, "Sender.Ip", "missing"),
        ({"Attributes": {"n": 1}}, "Attributes['n']", "expected a string, got a number"),
        ({"Attributes": ["a"]}, "Attributes", "expected an object of strings, got an array"),
        (
            {"Sender": {"UserId": "u", "Ip": "i", "Attributes": {"v": None}}},
            "Sender.Attributes['v']",
            "expected a string, got null",
        ),
    ],
)
def test_a_malformed_event_raises_an_error_naming_the_field(
    change: dict[str, Any], field: str, problem: str
) -> None:
    """The typed error says which field is wrong and how, with the message id."""
    event = {**make_event("secret words"), **change}
    with pytest.raises(MalformedEventError) as caught:
        ReviewRequest.from_event(event)
    err = caught.value
    assert (err.field, err.problem) == (field, problem)
    assert err.message_id == (DEFAULT_MESSAGE_ID if "MessageId" not in change else None)
    assert isinstance(err, ReviewError)
    assert isinstance(err, ValueError)
    assert field in str(err)
    assert "secret" not in str(err)


@pytest.mark.parametrize("key", ["Content", "MessageId", "RoomArn", "Sender"])
def test_a_missing_required_key_is_named(key: str) -> None:
    """A required key that is absent is reported as missing."""
    event = make_event()
    del event[key]
    with pytest.raises(MalformedEventError, match=f"{key}: missing"):
        ReviewRequest.from_event(event)


@pytest.mark.parametrize("event", [None, "text", ["a"], 3])
def test_an_event_that_is_not_an_object_is_malformed(event: Any) -> None:
    """Not a JSON object at all: the error is about the event."""
    with pytest.raises(MalformedEventError, match="event: expected an object"):
        ReviewRequest.from_event(event)


def test_the_test_helpers_fill_in_every_field() -> None:
    """make_request and make_event agree with each other and with the documented defaults."""
    request = make_request()
    assert request == ReviewRequest(
        content=DEFAULT_CONTENT,
        message_id=DEFAULT_MESSAGE_ID,
        room_arn=DEFAULT_ROOM_ARN,
        sender=ReviewSender(user_id=DEFAULT_USER_ID, ip=DEFAULT_IP),
    )
    custom = make_request(
        "hi", attributes={"a": "1"}, user_id="bob", ip="::1", sender_attributes={"b": "2"}
    )
    assert ReviewRequest.from_event(make_event(
        "hi", attributes={"a": "1"}, user_id="bob", ip="::1", sender_attributes={"b": "2"}
    )) == custom  # fmt: skip
    assert make_event() is not make_event()
    assert len(DEFAULT_MESSAGE_ID) == 12


def test_allow_answers_the_sent_content_and_attributes_in_full() -> None:
    """Allow() keeps the message as sent, and says so explicitly."""
    request = make_request("hi", attributes={"a": "1"})
    assert build_response(Allow(), request) == {
        "ReviewResult": "ALLOW",
        "Content": "hi",
        "Attributes": {"a": "1"},
    }


def test_allow_replaces_content_and_attributes() -> None:
    """A replacement content or attribute map is answered instead of the sent one."""
    request = make_request("hi", attributes={"a": "1"})
    assert build_response(Allow("HI"), request) == {
        "ReviewResult": "ALLOW",
        "Content": "HI",
        "Attributes": {"a": "1"},
    }
    answer = build_response(Allow(attributes={"b": "2"}), request)
    assert answer["Attributes"] == {"b": "2"}  # replaced, not merged
    assert build_response(Allow(attributes={}), request)["Attributes"] == {}


def test_deny_answers_no_content_and_its_reason_as_the_reason_attribute() -> None:
    """DENY carries only the result, and Attributes.Reason when there is a reason."""
    request = make_request("spam", attributes={"a": "1"})
    assert build_response(Deny(), request) == {"ReviewResult": "DENY"}
    assert build_response(Deny("no links"), request) == {
        "ReviewResult": "DENY",
        "Attributes": {"Reason": "no links"},
    }


def test_the_answer_is_a_new_plain_dict_each_time() -> None:
    """The answer's maps are plain dicts (JSON-serializable), never the request's own."""
    request = make_request(attributes={"a": "1"})
    answer = build_response(Allow(), request)
    assert type(answer["Attributes"]) is dict
    answer["Attributes"]["a"] = "2"
    assert request.attributes == {"a": "1"}


def test_verdicts_compare_by_value_and_copy_their_attributes() -> None:
    """Verdicts are frozen values; a verdict's attributes cannot change behind its back."""
    source = {"a": "1"}
    allow = Allow("x", attributes=source)
    source["a"] = "2"
    assert allow == Allow("x", attributes={"a": "1"})
    assert Deny("r") == Deny(reason="r")
    assert Deny() != Allow()
    assert repr(allow) == "Allow(content='x', attributes={'a': '1'})"


@pytest.mark.parametrize(
    ("verdict", "field", "problem"),
    [
        (Allow("x" * 501), "Content", "501 characters; at most 500 are accepted"),
        (Allow(""), "Content", "empty (to reject the message, answer Deny())"),
        (Allow(7), "Content", "expected a string, got int"),  # type: ignore[arg-type]
        (Allow(attributes={"a": 1}), "Attributes", "the value of 'a' is int, not a string"),  # type: ignore[dict-item]
        (Allow(attributes={1: "a"}), "Attributes", "key 1 is not a string"),  # type: ignore[dict-item]
        (Allow(attributes=[("a", "b")]), "Attributes", "expected a mapping of strings, got list"),  # type: ignore[arg-type]
        (
            Allow(attributes={"k": "v" * 1024}),
            "Attributes",
            "1025 bytes of keys and values (UTF-8); the service accepts at most 1024",
        ),
        (Deny(reason=5), "Deny.reason", "the value of 'Reason' is int, not a string"),  # type: ignore[arg-type]
        (Deny(reason="r" * 1019), "Deny.reason", "1025 bytes of keys and values (UTF-8); the service accepts at most 1024"),
        (None, "verdict", "expected Allow or Deny, got None"),
        ("ALLOW", "verdict", "expected Allow or Deny, got str"),
        (
            {"ReviewResult": "ALLOW"},
            "verdict",
            "expected Allow or Deny, got dict (return Allow(...) or Deny(...): the handler writes the dict)",
        ),
    ],
)  # fmt: skip
def test_an_invalid_verdict_raises_an_error_naming_the_problem(
    verdict: Any, field: str, problem: str
) -> None:
    """What the service would turn into the fallback is refused, with where and why."""
    with pytest.raises(InvalidVerdictError) as caught:
        build_response(verdict, make_request("original"))
    assert (caught.value.field, caught.value.problem) == (field, problem)
    assert caught.value.message_id == DEFAULT_MESSAGE_ID
    assert isinstance(caught.value, ValueError)


def test_the_limits_are_inclusive_and_count_what_the_service_counts() -> None:
    """500 characters (code points, not bytes) and 1024 UTF-8 bytes of attributes pass."""
    request = make_request()
    assert MAX_CONTENT_LENGTH == 500
    assert ATTRIBUTES_MAX_BYTES == 1024
    assert build_response(Allow("é" * 500), request)["Content"] == "é" * 500
    assert build_response(Allow("🙂" * 500), request)["Content"] == "🙂" * 500
    build_response(Allow(attributes={"k": "v" * 1023}), request)
    build_response(Allow(attributes={"k": "é" * 511}), request)  # 1 + 1022 bytes
    with pytest.raises(InvalidVerdictError):
        build_response(Allow(attributes={"k": "é" * 512}), request)  # 1 + 1024 bytes
    build_response(Deny("r" * 1018), request)  # "Reason" is 6 bytes


def test_a_lower_room_limit_is_checked_when_given() -> None:
    """max_content_length applies a room's own maximumMessageLength."""
    request = make_request()
    build_response(Allow("x" * 100), request, max_content_length=100)
    with pytest.raises(InvalidVerdictError, match="101 characters; at most 100"):
        build_response(Allow("x" * 101), request, max_content_length=100)


def test_the_limits_agree_with_the_rest_of_the_sdk() -> None:
    """The attribute limit is the SDK's documented 1 KB, and 500 the largest room limit."""
    from ivschat_sdk._constraints import ATTRIBUTES_MAX_BYTES as SDK_ATTRIBUTES_MAX_BYTES

    assert SDK_ATTRIBUTES_MAX_BYTES == ATTRIBUTES_MAX_BYTES
