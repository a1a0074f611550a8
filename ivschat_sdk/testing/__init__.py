"""Test your IVS Chat code without AWS: the local IVS Chat, in process.

While :func:`mock_ivschat` is active, every boto3 ``ivschat`` client (an
:class:`~ivschat_sdk.IvsChatClient` or your own ``boto3.client("ivschat")``) talks to an
in-memory :class:`~ivschat_sdk.local.LocalIvsChat`, with no network and no credentials::

    from ivschat_sdk.testing import mock_ivschat

    @mock_ivschat
    def test_creates_room():
        client = boto3.client("ivschat", region_name="us-west-2")
        assert client.create_room(name="lobby")["name"] == "lobby"

    def test_retries():
        with mock_ivschat() as local:
            local.fail_next("GetRoom", error="ThrottlingException")
            ...

Like moto, it sets fake AWS credentials in the environment while active (and restores the
previous ones after), so that nothing can reach a real account by mistake. Clients must be
created after ``ivschat_sdk.testing`` is imported; the pytest plugin imports it early.
It works inside moto's ``mock_aws()``, moto serving the other services.
"""

from ._mock import FAKE_CREDENTIALS, MockIvsChat, mock_ivschat

__all__ = ["FAKE_CREDENTIALS", "MockIvsChat", "mock_ivschat"]
