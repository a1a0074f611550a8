"""Typed errors: every modeled AWS exception, connection errors, and the code table."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

import ivschat_sdk
from ivschat_sdk import (
    AccessDeniedError,
    APIConnectionError,
    APIError,
    ConflictError,
    InternalServerError,
    IvsChatClient,
    IvsChatError,
    PendingVerificationError,
    ResourceNotFoundError,
    S3DestinationConfiguration,
    ServiceQuotaExceededError,
    ThrottlingError,
    ValidationError,
    ValidationExceptionField,
)
from ivschat_sdk._errors import api_error_from_client_error
from ivschat_sdk.local import LocalIvsChat

ERRORS = [
    ("AccessDeniedException", AccessDeniedError, 403),
    ("ConflictException", ConflictError, 409),
    ("InternalServerException", InternalServerError, 500),
    ("PendingVerification", PendingVerificationError, 403),
    ("ResourceNotFoundException", ResourceNotFoundError, 404),
    ("ServiceQuotaExceededException", ServiceQuotaExceededError, 402),
    ("ThrottlingException", ThrottlingError, 429),
    ("ValidationException", ValidationError, 400),
]


@pytest.mark.parametrize(("code", "cls", "status"), ERRORS)
def test_each_aws_exception_maps_to_its_class(
    code: str,
    cls: type[APIError],
    status: int,
    client: IvsChatClient,
    local: LocalIvsChat,
    retry_delays: list[float],
) -> None:
    """Each modeled exception from the service arrives as its own class with its metadata."""
    local.fail_next("CreateRoom", count=3, error=code, message=f"boom {code}")
    with pytest.raises(cls) as info:
        client.create_room(name="x")
    err = info.value
    assert type(err) is cls
    assert isinstance(err, APIError) and isinstance(err, IvsChatError)
    assert err.code == code
    assert err.message == f"boom {code}"
    assert err.operation == "CreateRoom"
    assert err.http_status == status
    assert err.request_id and len(err.request_id) == 36
    assert isinstance(err.__cause__, ClientError)
    assert code in str(err) and "CreateRoom" in str(err)


def test_limit_errors_carry_their_members(client: IvsChatClient) -> None:
    """ServiceQuotaExceededError carries resource id, type and the limit (real quota: 10)."""
    for i in range(10):
        client.create_logging_configuration(
            destination_configuration=S3DestinationConfiguration(bucket_name=f"bucket-{i}")
        )
    with pytest.raises(ServiceQuotaExceededError) as info:
        client.create_logging_configuration(
            destination_configuration=S3DestinationConfiguration(bucket_name="one-more")
        )
    assert info.value.limit == 10
    assert info.value.resource_type == "ROOM"  # the model allows only ROOM
    assert info.value.resource_id == "123456789012"
    assert len(list(client.list_logging_configurations())) == 10


def test_validation_error_carries_reason_and_fields(
    local: LocalIvsChat, boto3_session: Any
) -> None:
    """A ValidationException the SDK did not foresee keeps the service's reason and fieldList."""
    client = IvsChatClient(boto3_client=boto3_session.client("ivschat", region_name="us-west-2"))
    room = client.create_room()
    client.tag_resource(resource_arn=room, tags={f"k{i}": "v" for i in range(50)})
    with pytest.raises(ValidationError) as info:
        client.tag_resource(resource_arn=room, tags={"one": "more"})
    assert info.value.reason == "FIELD_VALIDATION_FAILED"
    assert info.value.field_list == (
        ValidationExceptionField(name="tags", message=info.value.field_list[0].message),
    )


def test_unknown_code_is_a_plain_api_error(boto3_session: Any) -> None:
    """An error code the SDK does not know is an APIError with that code (Stubber response)."""
    raw = boto3_session.client("ivschat", region_name="us-west-2")
    client = IvsChatClient(boto3_client=raw)
    with Stubber(raw) as stub:
        stub.add_client_error("get_room", "BrandNewException", "new", http_status_code=418)
        with pytest.raises(APIError) as info:
            client.get_room(identifier="arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234")
    assert type(info.value) is APIError
    assert info.value.code == "BrandNewException"
    assert info.value.http_status == 418


def test_connection_refused_is_api_connection_error() -> None:
    """An unreachable endpoint raises APIConnectionError, after botocore's own retries."""
    client = IvsChatClient(
        region_name="us-west-2",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="a",
        aws_secret_access_key="b",
        max_attempts=1,
    )
    with pytest.raises(APIConnectionError) as info:
        client.get_room(identifier="arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234")
    assert info.value.__cause__ is not None


def test_error_table_covers_every_modeled_exception() -> None:
    """Every error shape of the service model has its own exported class."""
    from ivschat_sdk._constraints import service_model

    model = service_model()
    codes = {
        s.name
        for s in (model.shape_for(n) for n in model.shape_names)
        if s.metadata.get("exception")
    }
    by_code = {code: cls for code, cls, _ in ERRORS}
    assert codes == set(by_code)
    for code, cls in by_code.items():
        err = api_error_from_client_error(
            ClientError({"Error": {"Code": code, "Message": "m"}}, "Op"), "Op"
        )
        assert type(err) is cls
        assert cls.__name__ in ivschat_sdk.__all__
