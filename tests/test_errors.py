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
    ConfigurationError,
    ConflictError,
    CredentialsError,
    InternalServerError,
    IvsChatClient,
    IvsChatError,
    ParamValidationError,
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


# -- every mistake a user can make is an IvsChatError naming the parameter --------------------

LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review"
CONFIG_ARN = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEfGh1234"
ROOM_ARN = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEfGh1234"

WRONG_KINDS: list[tuple[str, Any, str]] = [
    (
        "destination as a dict",
        lambda c: c.create_logging_configuration(
            destination_configuration={"s3": {"bucketName": "b"}}
        ),
        "destination_configuration",
    ),
    (
        "destination None",
        lambda c: c.create_logging_configuration(destination_configuration=None),
        "destination_configuration",
    ),
    (
        "destination update as a dict",
        lambda c: c.update_logging_configuration(
            identifier=CONFIG_ARN, destination_configuration={"s3": {"bucketName": "b"}}
        ),
        "destination_configuration",
    ),
    (
        "handler as a string",
        lambda c: c.create_room(message_review_handler=LAMBDA),
        "message_review_handler",
    ),
    (
        "handler update as a dict",
        lambda c: c.update_room(identifier=ROOM_ARN, message_review_handler={"uri": LAMBDA}),
        "message_review_handler",
    ),
    (
        "one ARN for the identifiers",
        lambda c: c.create_room(logging_configuration_identifiers=CONFIG_ARN),
        "logging_configuration_identifiers",
    ),
    (
        "one ARN for the identifiers, update",
        lambda c: c.update_room(identifier=ROOM_ARN, logging_configuration_identifiers=CONFIG_ARN),
        "logging_configuration_identifiers",
    ),
    ("tags as a string", lambda c: c.create_room(tags="app=web"), "tags"),
    ("tags as a list", lambda c: c.tag_resource(resource_arn=ROOM_ARN, tags=["a"]), "tags"),
    (
        "tag keys as a string",
        lambda c: c.untag_resource(resource_arn=ROOM_ARN, tag_keys="a"),
        "tag_keys",
    ),
    (
        "tag keys not iterable",
        lambda c: c.untag_resource(resource_arn=ROOM_ARN, tag_keys=5),
        "tag_keys",
    ),
    (
        "attributes as a list",
        lambda c: c.create_chat_token(
            room_identifier=ROOM_ARN, user_id="u", attributes=[("a", "b")]
        ),
        "attributes",
    ),
    (
        "capabilities not iterable",
        lambda c: c.create_chat_token(room_identifier=ROOM_ARN, user_id="u", capabilities=1),
        "capabilities",
    ),
]


@pytest.mark.parametrize(
    ("call", "param"), [w[1:] for w in WRONG_KINDS], ids=[w[0] for w in WRONG_KINDS]
)
def test_wrong_kind_of_argument_is_a_param_validation_error(
    call: Any, param: str, client: IvsChatClient, local: LocalIvsChat
) -> None:
    """A dict, string or None where a model or list belongs: a typed error, nothing sent."""
    with pytest.raises(ParamValidationError) as info:
        call(client)
    assert info.value.param == param
    assert "must be" in info.value.problem or info.value.problem == "is required"
    assert sum(local.call_counts.values()) == 0


def test_one_arn_is_not_read_letter_by_letter(client: IvsChatClient) -> None:
    """A lone ARN for a list gets one problem, not one per character."""
    with pytest.raises(ParamValidationError) as info:
        client.create_room(logging_configuration_identifiers=CONFIG_ARN)  # type: ignore[arg-type]
    assert len(info.value.problems) == 1
    assert "not str" in info.value.problem


@pytest.fixture
def no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """An environment with no region, no credentials and no AWS config files."""
    for name in (
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IVSCHAT",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_aws_configuration")
def test_no_region_is_a_configuration_error() -> None:
    """IvsChatClient() with no region anywhere says how to set one."""
    with pytest.raises(ConfigurationError, match="region_name"):
        IvsChatClient()


@pytest.mark.usefixtures("no_aws_configuration")
def test_invalid_region_is_a_configuration_error() -> None:
    """A region name botocore refuses is named in the error."""
    with pytest.raises(ConfigurationError, match="us west 2"):
        IvsChatClient(region_name="us west 2")


@pytest.mark.usefixtures("no_aws_configuration")
def test_unknown_profile_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS_PROFILE naming a profile that does not exist is named in the error."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    with pytest.raises(ConfigurationError, match="no-such-profile"):
        IvsChatClient(region_name="us-west-2")


@pytest.mark.usefixtures("no_aws_configuration")
def test_bad_endpoint_is_a_configuration_error() -> None:
    """An endpoint_url that is not a URL is refused when the client is built."""
    with pytest.raises(ConfigurationError, match="endpoint_url"):
        IvsChatClient(region_name="us-west-2", endpoint_url="not a url")


@pytest.mark.usefixtures("no_aws_configuration")
def test_missing_credentials_is_a_credentials_error() -> None:
    """No credentials: a CredentialsError (a ConfigurationError) at the call, nothing sent."""
    client = IvsChatClient(region_name="us-west-2", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(CredentialsError) as info:
        client.create_room()
    assert isinstance(info.value, ConfigurationError)
    assert "CreateRoom" in str(info.value)
    assert "credentials" in str(info.value)
