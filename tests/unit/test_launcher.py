"""The launcher the fault tests restart services with: a process is never replaced while it runs,
or the old one would go on consuming out of reach."""

import subprocess
import sys

import pytest

from tools.stack import Process, Stack, StackError


def test_a_running_process_is_not_started_again():
    stack = Stack()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stack.processes["scoring"] = Process("scoring", 0, sleeper, None)
    try:
        with pytest.raises(StackError, match="scoring is still running"):
            stack.start_service("scoring")
        assert stack.processes["scoring"].popen is sleeper
    finally:
        sleeper.kill()
        sleeper.wait()
