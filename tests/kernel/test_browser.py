"""As a person would: Debian's Jupyter Notebook on loopback, 00-quickstart on the kit's C# kernel in headless Chromium,
Run All, then look at what the page shows and keep a screenshot. Chromium is driven over its DevTools protocol with
tornado's websocket client (tornado ships with jupyter-notebook). Waits are for states, with generous guards."""
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHROMIUM = os.environ.get("HN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
NOTEBOOK = "/usr/bin/jupyter-notebook"
GUARD = 600  # seconds: a guard against a hung page or kernel, never a timing assertion


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, probe, guard=GUARD):
    end = time.monotonic() + guard
    while time.monotonic() < end:
        try:
            value = probe()
            if value:
                return value
        except AssertionError:
            raise
        except Exception:
            pass
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}")


class DevTools:
    """One page of Chromium over the DevTools protocol."""

    def __init__(self, ws_url):
        self.loop = IOLoop()
        self.ws = self.loop.run_sync(lambda: websocket_connect(ws_url, max_message_size=256 * 1024 * 1024))
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        call_id = self.next_id
        self.ws.write_message(json.dumps({"id": call_id, "method": method, "params": params}))

        async def reply():
            while True:
                message = await self.ws.read_message()
                if message is None:
                    raise AssertionError("Chromium closed the DevTools connection")
                data = json.loads(message)
                if data.get("id") == call_id:
                    return data

        data = self.loop.run_sync(reply, timeout=GUARD)
        if "error" in data:
            raise AssertionError(f"{method}: {data['error']}")
        return data["result"]

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text", "exception"))
        return result["result"].get("value")

    def close(self):
        self.ws.close()
        self.loop.close()


@unittest.skipUnless(CHROMIUM and os.path.exists(NOTEBOOK), "needs chromium and jupyter-notebook (apt-get install chromium jupyter-notebook)")
class NotebookInChromiumTests(unittest.TestCase):
    def test_quickstart_runs_all_on_the_kit_kernel_in_jupyter_notebook(self):
        work = tempfile.mkdtemp(prefix="hn-browser-")
        with open(os.path.join(ROOT, "notebooks", "00-quickstart.ipynb"), encoding="utf-8") as f:
            nb = json.load(f)
        nb["metadata"]["kernelspec"] = {"display_name": "C# (HardNegatives)", "language": "C#", "name": "hardnegatives-csharp"}
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        with open(os.path.join(work, "quickstart.ipynb"), "w", encoding="utf-8") as f:
            json.dump(nb, f)

        token, port, debug_port = "hn-browser-test", free_port(), free_port()
        server_log = open(os.path.join(work, "server.log"), "w")
        # A private $HN_HOME: the other notebook tests run 00-quickstart too, and would write the same files.
        env = dict(os.environ, HN_HOME=os.path.join(work, "hn-home"))
        server = subprocess.Popen([NOTEBOOK, "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
                                   f"--NotebookApp.token={token}", f"--notebook-dir={work}"],
                                  stdout=subprocess.DEVNULL, stderr=server_log, env=env)
        browser = None
        page = None
        try:
            def server_up():
                if server.poll() is not None:
                    raise AssertionError("the notebook server exited: " + open(os.path.join(work, "server.log")).read()[-2000:])
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/api?token={token}").status == 200
            wait_for("the notebook server", server_up)
            browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                        f"--user-data-dir={os.path.join(work, 'profile')}", f"--remote-debugging-port={debug_port}",
                                        "--window-size=1280,2400", "about:blank"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            targets = wait_for("Chromium's DevTools", lambda: [t for t in json.load(urllib.request.urlopen(
                f"http://127.0.0.1:{debug_port}/json/list")) if t.get("type") == "page"])
            page = DevTools(targets[0]["webSocketDebuggerUrl"])
            page.call("Page.enable")
            page.call("Page.navigate", url=f"http://127.0.0.1:{port}/notebooks/quickstart.ipynb?token={token}")
            wait_for("the kit kernel to connect", lambda: page.eval(
                "typeof Jupyter !== 'undefined' && !!Jupyter.notebook && !!Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"))
            self.assertEqual(page.eval("Jupyter.notebook.kernel.name"), "hardnegatives-csharp")
            page.eval("Jupyter.notebook.execute_all_cells(); true")
            # Done when every code cell shows a number (not '*') and the kernel is idle.
            wait_for("Run All to finish", lambda: page.eval(
                "Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
                ".every(c => typeof c.input_prompt_number === 'number') && !Jupyter.notebook.kernel_busy"))
            text = page.eval("document.querySelector('#notebook').innerText")
            shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            out = os.environ.get("HN_SCREENSHOT_DIR") or work
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, "kit-kernel-00-quickstart.png"), "wb") as f:
                f.write(base64.b64decode(shot))
            self.assertEqual(page.eval("document.querySelectorAll('.output_error').length"), 0, text[-3000:])
            self.assertEqual(page.eval("document.querySelectorAll('.hn-card.hn-neg').length > 0"), True, text[-3000:])
            for shown in ["dataset scifact", "Mined bm25 negatives for 10 queries", "ndcg_cut_10", "built into this kernel"]:
                self.assertIn(shown, text)
        finally:
            if page:
                page.close()
            for process in (browser, server):
                if process:
                    process.terminate()
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
            server_log.close()


if __name__ == "__main__":
    unittest.main()
