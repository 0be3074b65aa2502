"""Shared by the kit's kernel tests: start a kit kernel with generous timeouts and always shut it down.

The kernelspecs come from `hn kernel install --prefix TMP`, found through JUPYTER_PATH=TMP/share/jupyter
(tests/HardNegatives.Tests/Kernel/JupyterKernelTests.cs sets both up and runs these tests).
Timeouts are guards against a hung kernel, never timing assertions: CI machines can be very busy.
"""
import queue

from jupyter_client.manager import start_new_kernel

STARTUP_TIMEOUT = 300
TIMEOUT = 180


def start(kernel_name):
    """A started kernel and a ready client, after one warm-up cell (the first compile loads the compiler)."""
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=STARTUP_TIMEOUT)
    try:
        kc.execute_interactive("1", timeout=TIMEOUT)
    except Exception:
        stop(km, kc)
        raise
    return km, kc


def stop(km, kc):
    try:
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=False)


def reply_to(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to msg_id (skipping replies to other requests)."""
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def iopub_until_idle(kc, msg_id, timeout=TIMEOUT):
    """The iopub messages of request msg_id, up to its `status: idle`."""
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
        messages.append(msg)


def wait_for_stream(kc, msg_id, text, timeout=TIMEOUT):
    """Reads iopub until request msg_id writes `text` to a stream (e.g. a cell saying it started)."""
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the cell never wrote {text!r}")
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and text in msg["content"]["text"]:
            return
