"""Fixtures of the production tests."""

from tests.s3 import s3, s3_server  # noqa: F401 - a real S3 server and a bucket per test
