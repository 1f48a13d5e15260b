"""The embedded default broker: a worker never reads a message that is still being written
(kombu's own filesystem transport let it read an empty file, die on the JSON and lose it)."""

import os
from queue import Empty

import pytest
from kombu import Connection

from portal import filesystem_broker


@pytest.fixture
def channels(tmp_path):
    """(publisher, worker): two connections on one queue folder, as the web and a worker."""
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
    }
    connections = [
        Connection(
            "filesystem://",
            transport="portal.filesystem_broker:Transport",
            transport_options=options,
        )
        for _ in range(2)
    ]
    yield [connection.default_channel for connection in connections]
    for connection in connections:
        connection.release()


def test_a_message_being_written_is_invisible_to_a_worker_then_read_whole(channels, monkeypatch):
    publisher, worker = channels
    replace = os.replace
    seen_while_writing = []

    def worker_polls_then_replace(partial: str, final: str) -> None:
        # The message is written but not in place yet: the worker's poll finds nothing.
        with pytest.raises(Empty):
            worker._get("default")
        seen_while_writing.append(os.path.getsize(partial))
        replace(partial, final)

    monkeypatch.setattr(filesystem_broker.os, "replace", worker_polls_then_replace)
    publisher._put("default", {"body": "confirmation e-mail 1", "headers": {}})
    assert seen_while_writing and seen_while_writing[0] > 0
    assert worker._get("default")["body"] == "confirmation e-mail 1"


def test_each_queue_gets_its_own_messages_once(channels):
    publisher, worker = channels
    for number in range(3):
        publisher._put("default", {"body": f"message {number}"})
    publisher._put("speech", {"body": "another queue"})
    bodies = {worker._get("default")["body"] for _ in range(3)}
    assert bodies == {"message 0", "message 1", "message 2"}
    with pytest.raises(Empty):
        worker._get("default")
    assert worker._get("speech")["body"] == "another queue"
