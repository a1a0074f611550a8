"""The root of the SDK's exceptions, in a module that imports nothing.

Everything the SDK raises derives from :class:`IvsChatError`. It lives apart from
``_errors`` (which needs attrs and botocore) so that light subpackages such as
:mod:`ivschat_sdk.review`, whose import counts against a Lambda's cold start, can derive
their errors from it for free.
"""

from __future__ import annotations

__all__ = ["IvsChatError"]


class IvsChatError(Exception):
    """Base class of every exception raised by ivschat-sdk."""
