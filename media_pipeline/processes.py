"""ffmpeg and ffprobe as child processes that cannot outlive the process that started them.

A Celery pool process can be SIGKILLed (hard time limit, out of memory, a deploy): nothing in
Python runs then, so the kernel does it. Each child asks, between fork and exec, to receive
SIGKILL when its parent dies (Linux `prctl(PR_SET_PDEATHSIG)`, kept across exec). Every run also
has a timeout. The signal follows the *thread* that started the child: start them from a thread
that lives as long as the child (Celery runs tasks in the pool process's main thread).
"""

import ctypes
import os
import signal
import subprocess
import sys
from functools import partial

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(parent_pid: int) -> None:
    """Runs in the child between fork and exec (keep it to system calls)."""
    if _libc is None:
        return
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl: nobody will send the signal
        os.kill(os.getpid(), signal.SIGKILL)


def popen(command: list[str], **kwargs) -> subprocess.Popen:
    """subprocess.Popen for a child that dies with this process; the caller enforces a timeout."""
    return subprocess.Popen(command, preexec_fn=partial(die_with_parent, os.getpid()), **kwargs)


def run(command: list[str], *, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run for a child that dies with this process, killed after `timeout` seconds."""
    return subprocess.run(
        command, timeout=timeout, preexec_fn=partial(die_with_parent, os.getpid()), **kwargs
    )
