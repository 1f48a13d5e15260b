"""A real S3 server for the tests: moto's ThreadedMotoServer on loopback, reached over HTTP by
boto3 through django-storages exactly as production reaches its object storage."""

import os
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from unittest import mock

import boto3
import pytest
from moto.server import ThreadedMotoServer

from portal.settings.storage import storages

ACCESS_KEY, SECRET_KEY = "hlm-test-access", "hlm-test-secret"  # moto accepts any pair


@dataclass
class S3:
    endpoint: str
    bucket: str
    client: object

    @property
    def env(self) -> dict[str, str]:
        """The variables that switch a process (a Celery worker) to this bucket."""
        return {
            "DJANGO_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_REGION_NAME": "us-east-1",
        }


def s3_storages(env: dict[str, str]) -> dict:
    """STORAGES exactly as the settings build it from these variables."""
    with mock.patch.dict(os.environ, env):
        return storages(env["DJANGO_STORAGE"])


def http_get(url: str) -> tuple[int, bytes]:
    """An anonymous HTTP GET, as a visitor's browser would do it."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - test URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="session")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings) -> S3:
    """A fresh bucket; this test's STORAGES are the S3 backends (DJANGO_STORAGE=s3)."""
    bucket = f"hlm-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    setup = S3(endpoint=s3_server, bucket=bucket, client=client)
    settings.DJANGO_STORAGE = "s3"
    settings.STORAGES = s3_storages(setup.env)
    return setup
