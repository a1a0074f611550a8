"""Quickstart: the main jobs of ivschat-sdk, end to end.

By default it runs against the in-process local IVS Chat: no AWS account, no network.

    python examples/quickstart.py                 # local IVS Chat, in process
    python examples/quickstart.py --aws us-west-2 # real AWS (uses your AWS credentials;
                                                  # creates rooms and deletes them again)
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from ivschat_sdk import (
    ChatTokenCapability,
    IvsChatClient,
    ParamValidationError,
    ResourceNotFoundError,
)
from ivschat_sdk.testing import mock_ivschat


def run(client: IvsChatClient) -> None:
    # 1. A room with limits and tags.
    room = client.create_room(
        name="quickstart-lobby",
        maximum_message_length=200,
        maximum_message_rate_per_second=5,
        tags={"app": "quickstart"},
    )
    print(f"created room {room.id} ({room.name}): up to {room.maximum_message_length} characters,")
    print(f"  {room.maximum_message_rate_per_second} messages/s, tags {dict(room.tags)}")
    print(f"  ARN {room.arn}, created {room.create_time:%Y-%m-%d %H:%M:%S %Z}")

    # 2. More rooms, then list them lazily, a page of two at a time.
    extra = [
        client.create_room(name=f"quickstart-{i}", tags={"app": "quickstart"}) for i in range(3)
    ]
    listing = client.list_rooms(page_size=2)
    for number, page in enumerate(listing.pages(), start=1):
        names = ", ".join(r.name for r in page.items)
        more = "more to come" if page.next_token else "last page"
        print(f"page {number}: {names} ({more})")
    print(f"first two rooms only: {[r.name for r in client.list_rooms(max_items=2)]}")

    # 3. A chat token for a user who may send messages.
    token = client.create_chat_token(
        room_identifier=room,
        user_id="alice",
        capabilities=[ChatTokenCapability.SEND_MESSAGE],
        session_duration_in_minutes=30,
        attributes={"displayName": "Alice"},
    )
    print(f"chat token for alice: {token!r}")
    print(
        f"  (the secret is {len(token.token)} characters, never printed; connect before "
        f"{token.token_expiration_time:%H:%M:%S} UTC)"
    )

    # 4. An event to everyone in the room.
    event_id = client.send_event(
        room_identifier=room, event_name="app:stream-starting", attributes={"in": "5m"}
    )
    print(f"sent event app:stream-starting, id {event_id}")

    # 5. Tags.
    client.tag_resource(resource_arn=room, tags={"stage": "demo"})
    client.untag_resource(resource_arn=room, tag_keys=["app"])
    print(f"tags now: {client.list_tags_for_resource(resource_arn=room)}")

    # 6. Bad input fails before the network, with the parameter and the limit.
    try:
        client.update_room(identifier=room, maximum_message_length=1000)
    except ParamValidationError as err:
        print(f"refused before sending: {err}")
    try:
        client.get_room(identifier=room.id)
    except ParamValidationError as err:
        print(f"refused before sending: {err.problem}")

    # 7. Clean up.
    for r in [room, *extra]:
        client.delete_room(identifier=r)
    try:
        client.get_room(identifier=room)
    except ResourceNotFoundError as err:
        print(
            f"deleted {1 + len(extra)} rooms; get_room now raises {type(err).__name__} ({err.http_status})"
        )


@contextlib.contextmanager
def target(aws_region: str | None) -> Iterator[IvsChatClient]:
    if aws_region:
        print(f"using real AWS IVS Chat in {aws_region}")
        with IvsChatClient(region_name=aws_region) as client:
            yield client
        return
    print("using the local IVS Chat (in process; no AWS account needed)")
    with mock_ivschat(), IvsChatClient(region_name="us-west-2") as client:
        yield client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws", metavar="REGION", help="run against real AWS in this region")
    args = parser.parse_args()
    with target(args.aws) as client:
        run(client)
    print("done")


if __name__ == "__main__":
    main()
