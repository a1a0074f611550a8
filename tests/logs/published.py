"""Chat log lines as published from the real service, for the parser's fixtures.

Each fixture is one line, keys, values and key order as published (pretty-printed JSON and
JavaScript object literals are written here as compact JSON; nothing else changed). They
show what the parser must take: ``SendTime`` with 9 and 8 fractional digits,
``event_timestamp`` to the millisecond (the ``SendTime`` cut, not rounded), ``payload``
before ``version``, ``RequestId`` empty or a UUID, ``Sender.Attributes`` empty or not, a
message's ``Attributes`` null, and attribute values that are JSON text.
"""

from __future__ import annotations

from typing import NamedTuple


class Published(NamedTuple):
    """A published log line and where it was published."""

    source: str
    line: str


# CloudWatch Logs records of a room, quoted in AWS's blog post "Archiving Web Chat Messages
# with Amazon IVS Chat Logging" (dev.to/aws, 2023-01-20): 9-digit SendTime, empty RequestId,
# empty Sender.Attributes, a message of emoji.
BLOG_2023_01 = [
    Published(
        "dev.to/aws archiving-web-chat-messages-with-amazon-ivs-chat-logging (2023-01)",
        '{"event_timestamp":"2023-01-05T14:33:32.894Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"WhO6MW6iRdS5","RequestId":"","Attributes":{"username":"gleningp"},"Content":"bbiab!","SendTime":"2023-01-05T14:33:32.894089757Z","Sender":{"UserId":"75758272-f3f2-4f65-83c5-9b8f144116b8","Attributes":{}}},"version":"1.0"}',
    ),
    Published(
        "dev.to/aws archiving-web-chat-messages-with-amazon-ivs-chat-logging (2023-01)",
        '{"event_timestamp":"2023-01-05T14:33:39.896Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"VwEPwPV74GN3","RequestId":"","Attributes":{"username":"rpeirazzia"},"Content":"perfect","SendTime":"2023-01-05T14:33:39.896519733Z","Sender":{"UserId":"704D6BF8-22D2-4A52-B6A7-BDEFB115ECE5","Attributes":{}}},"version":"1.0"}',
    ),
    Published(
        "dev.to/aws archiving-web-chat-messages-with-amazon-ivs-chat-logging (2023-01)",
        '{"event_timestamp":"2023-01-05T14:33:47.330Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"00kqu1sPa6dF","RequestId":"","Attributes":{"username":"jmycroft2"},"Content":"🔥🔥🔥","SendTime":"2023-01-05T14:33:47.330983449Z","Sender":{"UserId":"2F12AA2D-DF65-42CF-AE99-133A5A06F7B4","Attributes":{}}},"version":"1.0"}',
    ),
]

# A CloudWatch Logs record as indexed in OpenSearch, in AWS's blog post "Streaming Amazon IVS
# Chat Logs to OpenSearch" (dev.to/aws, 2023-03-17); OpenSearch's own fields left out.
# 8-digit SendTime, non-empty Sender.Attributes.
BLOG_2023_03 = Published(
    "dev.to/aws streaming-amazon-ivs-chat-logs-to-opensearch (2023-03)",
    '{"event_timestamp":"2023-03-03T16:01:33.875Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"Ll4kxDgNaW7f","RequestId":"","Attributes":{"username":"Admin"},"Content":"the weather is cold","SendTime":"2023-03-03T16:01:33.87564497Z","Sender":{"UserId":"8e9a91d3-3ab7-4b89-b2a8-da1326beb055","Attributes":{"username":"Admin"}}},"version":"1.0"}',
)

# S3 log lines quoted in a production backend's chat-log importer (2025-08): a UUID
# RequestId, an attribute holding JSON text, 8- and 9-digit SendTime.
BACKEND_2025_08 = [
    Published(
        "a production backend's S3 chat-log importer, example lines (2025-08)",
        '{"event_timestamp":"2025-08-14T05:48:40.415Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"9ojK4zRlO8QQ","RequestId":"d9da9232-6141-443b-9d76-f980c0cad092","Attributes":{"crowdaaUserId":"ehgt2JeRmcuyCLymg","messageType":"stream_status","reactionData":"{\\"type\\":\\"stream_status\\",\\"statusType\\":\\"camera\\",\\"value\\":true,\\"timestamp\\":1755150519851}","username":"Max"},"Content":"Status Update","SendTime":"2025-08-14T05:48:40.41551437Z","Sender":{"UserId":"689d78a4fb507800029a7639","Attributes":{}}},"version":"1.0"}',
    ),
    Published(
        "a production backend's S3 chat-log importer, example lines (2025-08)",
        '{"event_timestamp":"2025-08-14T05:50:05.533Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"1pmL91z2hNTx","RequestId":"318fd00d-b456-4bf4-8624-db3258784d29","Attributes":{"crowdaaUserId":"ehgt2JeRmcuyCLymg","username":"Max"},"Content":"Naaaa","SendTime":"2025-08-14T05:50:05.533134508Z","Sender":{"UserId":"689d78a4fb507800029a7639","Attributes":{}}},"version":"1.0"}',
    ),
]

# Frames captured from the service and published as a chat app's test fixture (2022-12),
# payloads verbatim; the record envelope around them is written the way the service writes
# it (event_timestamp = SendTime cut to the millisecond). A message whose Attributes is null,
# the aws:DELETE_MESSAGE of that message (MessageID and Reason only, 8-digit SendTime), and an
# aws:DISCONNECT_USER.
FIXTURE_2022_12 = [
    Published(
        "a chat app's fixture of captured frames (2022-12), in a record envelope",
        '{"event_timestamp":"2022-12-02T08:21:20.754Z","type":"MESSAGE","payload":{"Type":"MESSAGE","Id":"M2YcHkgffEvU","RequestId":"8fe65e61-1fa2-4563-a90d-c53521e0e63c","Attributes":null,"Content":"Hi","SendTime":"2022-12-02T08:21:20.754555595Z","Sender":{"UserId":"xxxxxxx.55b2dd6b-7636-414d-ba01-db7abfc7628f","Attributes":{"avatar":"https://d39ii5l128t5ul.cloudfront.net/assets/animals_square/dog.png","username":"xxxxxxx"}}},"version":"1.0"}',
    ),
    Published(
        "a chat app's fixture of captured frames (2022-12), in a record envelope",
        '{"event_timestamp":"2022-12-02T08:25:51.136Z","type":"EVENT","payload":{"Type":"EVENT","Id":"IxTh2Ad9fZIr","RequestId":"","EventName":"aws:DELETE_MESSAGE","Attributes":{"MessageID":"M2YcHkgffEvU","Reason":"Deleted by moderator"},"SendTime":"2022-12-02T08:25:51.13691272Z"},"version":"1.0"}',
    ),
    Published(
        "a chat app's fixture of captured frames (2022-12), in a record envelope",
        '{"event_timestamp":"2022-12-02T08:40:48.492Z","type":"EVENT","payload":{"Type":"EVENT","Id":"Z8Cd2OchZR9K","RequestId":"","EventName":"aws:DISCONNECT_USER","Attributes":{"Reason":"Kicked by moderator","UserId":"aaaaaaa.7235eaff-5ef5-4ebb-8bec-5663e4bac6c3"},"SendTime":"2022-12-02T08:40:48.492927465Z"},"version":"1.0"}',
    ),
]

ALL = [*BLOG_2023_01, BLOG_2023_03, *BACKEND_2025_08, *FIXTURE_2022_12]
