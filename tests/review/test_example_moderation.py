"""examples/review_handler/moderation.py: unit tests at the function and at the Lambda level.

These are the tests a team would write for its own handler: the review function with a
``ReviewRequest`` (``handler.function``), and the Lambda handler with the event IVS Chat sends.
"""

from __future__ import annotations

import pytest

from examples.review_handler import moderation
from ivschat_sdk.review import Allow, Deny, MalformedEventError, invoke_lambda_handler
from ivschat_sdk.review.testing import make_event, make_request

review = moderation.handler.function


@pytest.mark.parametrize(
    ("content", "delivered"),
    [
        ("what the heck", "what the ****"),
        ("DARN it, Darn it, darn it", "**** it, **** it, **** it"),
        ("no spoilers here, but a spoiler!", "no spoilers here, but a *******!"),
        ("heckle the darned", "heckle the darned"),  # whole words only
    ],
)
def test_blocked_words_are_masked(content: str, delivered: str) -> None:
    """Function level: each blocked word, whole and in any case, becomes asterisks."""
    expected = Allow() if delivered == content else Allow(delivered)
    assert review(make_request(content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        "see http://example.com",
        "HTTPS://EXAMPLE.ORG/x?y=1",
        "go to www.cheap-followers.example",
        "free followers at cheap-followers.com now",
        "join us on twitch.tv/someone",
    ],
)
def test_messages_with_links_are_denied_with_the_reason(content: str) -> None:
    """Function level: a link anywhere denies the whole message, saying why."""
    assert review(make_request(content)) == Deny(moderation.LINK_REASON)


def test_a_clean_message_is_delivered_unchanged() -> None:
    """Allow() delivers the message exactly as sent, attributes included."""
    assert review(make_request("gg, see you at 8 p.m.")) == Allow()


def test_the_lambda_handler_answers_the_service_shape() -> None:
    """Event level: the JSON IVS Chat sends in, the JSON it expects out."""
    event = make_event("darn, it ends well", attributes={"color": "red"})
    assert invoke_lambda_handler(moderation.handler, event) == {
        "ReviewResult": "ALLOW",
        "Content": "****, it ends well",
        "Attributes": {"color": "red"},
    }
    assert invoke_lambda_handler(moderation.handler, make_event("see www.x.example")) == {
        "ReviewResult": "DENY",
        "Attributes": {"Reason": moderation.LINK_REASON},
    }


def test_the_lambda_handler_refuses_a_made_up_event() -> None:
    """A hand-written event with the wrong casing fails loudly instead of passing blindly."""
    with pytest.raises(MalformedEventError, match="Content: missing"):
        moderation.handler({"content": "hi", "MessageId": "m", "RoomArn": "r"}, None)


def test_the_word_list_comes_from_the_environment() -> None:
    """BLOCKED_WORDS (comma-separated) replaces the default list; an empty one masks nothing."""
    assert moderation.words_from_environment({}) == list(moderation.DEFAULT_BLOCKED_WORDS)
    pattern = moderation.blocked_words_pattern(
        moderation.words_from_environment({"BLOCKED_WORDS": " Foo,bar baz ,,"})
    )
    assert moderation.mask("foo, FOO! bar baz, bar", pattern) == "***, ***! *******, bar"
    empty = moderation.blocked_words_pattern(
        moderation.words_from_environment({"BLOCKED_WORDS": ""})
    )
    assert empty is None
    assert moderation.mask("darn", empty) == "darn"
