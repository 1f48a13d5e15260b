"""The embedded default broker (no server): kombu's filesystem transport, with each message
appearing whole.

kombu 5.7's filesystem transport creates a message's file, then writes it. A worker polling
the folder in between moves the file away and reads it empty or cut: its JSON fails, the worker
process dies and the message is lost. Here a message is written under a name no worker reads
(a leading dot), then renamed into place: a rename within a folder is atomic, so a worker sees
the whole message or nothing.
"""

import os
import uuid
from time import monotonic

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# kombu's own naming: the name sorts by time and ends with the queue, which is how workers
# choose the messages of their queues.
MESSAGE_NAME = "{millis}_{id}.{queue}.msg"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs) -> None:
        """Put `payload` onto `queue`: written aside, then renamed into the queue's folder."""
        name = MESSAGE_NAME.format(
            millis=int(round(monotonic() * 1000)), id=uuid.uuid4(), queue=queue
        )
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as error:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from error


class Transport(filesystem.Transport):
    Channel = Channel
