"""Where a room's chat logs are: S3 keys and CloudWatch Logs stream names.

The service publishes the start of the S3 key, ``AWSLogs/<account>/IVSChatLogs/1.0/<region>/
room_<roomId>/``, object names of the form ``<account>_IVSChatLogs_1.0_<region>_room_<roomId>_
....log.gz``, and the log stream ``aws/IVSChatLogs/1.0/room_<roomId>``. The middle of the key
is not published; the local IVS Chat writes (and :func:`s3_object_key` builds)::

    AWSLogs/<account>/IVSChatLogs/1.0/<region>/room_<roomId>/YYYY/MM/DD/HH/
        <account>_IVSChatLogs_1.0_<region>_room_<roomId>_<YYYYMMDDTHHMMZ>_<8 hex>.log.gz

with the delivery time (UTC) in the folders and the name, as other AWS log deliveries to S3
do. Readers use the prefix to find a room's objects and the key's time only to skip objects
far outside a time range (:func:`key_time`), so other middles are read too.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta, timezone

from .._errors import ParamValidationError
from .._timestamps import to_utc
from ._records import LOG_VERSION

__all__ = [
    "cloudwatch_log_stream",
    "key_time",
    "room_parts",
    "s3_object_key",
    "s3_room_prefix",
]

_UTC = timezone.utc
_ARN = re.compile(r"arn:[a-z0-9-]+:ivschat:([a-z0-9-]+):(\d{12}):room/([a-zA-Z0-9]+)")
_ROOM_ID = re.compile(r"[a-zA-Z0-9]+")
_NAME_TIME = re.compile(r"_(\d{8}T\d{4})Z_[^/]*$")
_FOLDER_TIME = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/(\d{2})/[^/]*$")
_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)


def room_parts(
    room: str, *, account_id: str | None = None, region: str | None = None
) -> tuple[str, str, str]:
    """``(account_id, region, room_id)`` of a room given by ARN, or by id plus the two others.

    An ARN's own account and region are used (``account_id`` and ``region`` are for ids).

    Raises:
        ParamValidationError: ``room`` is neither a room ARN nor a room id, or a room id comes
            without the account id and region an S3 key needs.
    """
    match = _ARN.fullmatch(room)
    if match is not None:
        arn_region, arn_account, arn_room_id = match.groups()
        return arn_account, arn_region, arn_room_id
    if not _ROOM_ID.fullmatch(room):
        raise ParamValidationError([("room", f"not a room ARN or room id: {room!r}")])
    if not account_id or not region:
        raise ParamValidationError(
            [("room", "a room id needs account_id= and region= (or pass the room ARN)")]
        )
    return account_id, region, room


def room_id(room: str) -> str:
    """The id of a room given by ARN or id."""
    match = _ARN.fullmatch(room)
    if match is not None:
        return match.group(3)
    if not _ROOM_ID.fullmatch(room):
        raise ParamValidationError([("room", f"not a room ARN or room id: {room!r}")])
    return room


def s3_room_prefix(room: str, *, account_id: str | None = None, region: str | None = None) -> str:
    """The S3 key prefix of a room's chat logs.

    ``AWSLogs/<account>/IVSChatLogs/1.0/<region>/room_<roomId>/``, as the service writes it.

    Args:
        room: The room's ARN, or its id with ``account_id`` and ``region``.
        account_id: The room's AWS account (12 digits).
        region: The room's region, e.g. ``us-west-2``.
    """
    account, where, rid = room_parts(room, account_id=account_id, region=region)
    return f"AWSLogs/{account}/IVSChatLogs/{LOG_VERSION}/{where}/room_{rid}/"


def s3_object_key(
    room: str,
    delivered_at: datetime,
    *,
    account_id: str | None = None,
    region: str | None = None,
    unique: str | None = None,
) -> str:
    """The S3 key of one chat log object, in the layout the local IVS Chat writes.

    ``<room prefix>YYYY/MM/DD/HH/<account>_IVSChatLogs_1.0_<region>_room_<roomId>_
    <YYYYMMDDTHHMMZ>_<unique>.log.gz``, with ``delivered_at`` (UTC) in the folders and name.

    Args:
        room: The room's ARN, or its id with ``account_id`` and ``region``.
        delivered_at: When the object is written.
        account_id: The room's AWS account.
        region: The room's region.
        unique: The name's last part, which keeps two objects of one minute apart; 8 random
            hex digits by default.
    """
    account, where, rid = room_parts(room, account_id=account_id, region=region)
    at = to_utc(delivered_at)
    tail = unique if unique is not None else secrets.token_hex(4)
    return (
        f"AWSLogs/{account}/IVSChatLogs/{LOG_VERSION}/{where}/room_{rid}/{at:%Y/%m/%d/%H}/"
        f"{account}_IVSChatLogs_{LOG_VERSION}_{where}_room_{rid}_{at:%Y%m%dT%H%M}Z_{tail}.log.gz"
    )


def cloudwatch_log_stream(room: str) -> str:
    """The CloudWatch Logs stream of a room's chat logs, ``aws/IVSChatLogs/1.0/room_<roomId>``.

    Args:
        room: The room's ARN or id.
    """
    return f"aws/IVSChatLogs/{LOG_VERSION}/room_{room_id(room)}"


def key_time(key: str) -> tuple[datetime, timedelta] | None:
    """The time a key names and its granularity, or None when it names none.

    The name's ``_YYYYMMDDTHHMMZ_`` (a minute) wins over ``/YYYY/MM/DD/HH/`` folders (an
    hour); a key with neither, or with an impossible date, names no time.
    """
    try:
        match = _NAME_TIME.search(key)
        if match is not None:
            return datetime.strptime(match.group(1), "%Y%m%dT%H%M").replace(tzinfo=_UTC), _MINUTE
        folders = _FOLDER_TIME.search(key)
        if folders is not None:
            year, month, day, hour = (int(part) for part in folders.groups())
            return datetime(year, month, day, hour, tzinfo=_UTC), _HOUR
    except ValueError:
        pass
    return None


def key_may_hold(key: str, start: datetime | None, end: datetime | None, slack: timedelta) -> bool:
    """Whether an object may hold records in ``[start, end)``, judged by its key's time.

    An object named for time ``t`` (to its granularity ``g``) is taken to hold records from
    ``t - slack`` to ``t + g + slack``: whether the key's time is when the object was
    delivered (records before it) or when its first record was received (records after it),
    a slack above the delivery delay and batching keeps every record. Keys that name no time
    may hold anything.
    """
    if start is None and end is None:
        return True
    named = key_time(key)
    if named is None:
        return True
    at, granularity = named
    if start is not None and at + granularity + slack <= start:
        return False
    return end is None or at - slack < end
