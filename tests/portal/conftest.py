"""Fixtures of the portal tests."""

from tests.portal.answers import answered_question  # noqa: F401 - an answered question factory
from tests.s3 import s3, s3_server  # noqa: F401 - a real S3 server and a bucket per test
