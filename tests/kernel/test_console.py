"""As a person would: `jupyter console --kernel hardnegatives-csharp` in a terminal (tmux), type a line, see the result.

Skipped where tmux or jupyter-console is missing (they are not part of the kit's CI requirements)."""
import os
import shutil
import subprocess
import time
import unittest
import uuid

import kit_kernel


@unittest.skipUnless(shutil.which("tmux") and os.path.exists("/usr/bin/jupyter-console"), "tmux or jupyter-console (Debian: jupyter-console) missing")
class CSharpConsoleTests(unittest.TestCase):
    kernel_name = "hardnegatives-csharp"

    def setUp(self):
        self.session = "hn-kernel-" + uuid.uuid4().hex[:8]
        subprocess.run(["tmux", "new-session", "-d", "-s", self.session, "-x", "160", "-y", "40",
                        f"/usr/bin/jupyter console --kernel {self.kernel_name} --simple-prompt"], check=True, env=os.environ.copy())

    def tearDown(self):
        subprocess.run(["tmux", "send-keys", "-t", self.session, "exit", "Enter"], check=False)
        subprocess.run(["tmux", "kill-session", "-t", self.session], check=False)

    def screen(self):
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.session], capture_output=True, text=True).stdout

    def wait_for(self, text):
        # A guard against a hung console, not a timing assertion: poll the screen until the text shows up.
        deadline = time.monotonic() + kit_kernel.STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if text in self.screen():
                return
            time.sleep(0.5)
        self.fail(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def test_type_a_line_and_see_the_result(self):
        self.wait_for("In [1]")
        # (a trailing space: tmux reads an argument that ends in ";" as a command separator)
        subprocess.run(["tmux", "send-keys", "-t", self.session, "var answer = 6 * 7; ", "Enter"], check=True)
        self.wait_for("In [2]")
        subprocess.run(["tmux", "send-keys", "-t", self.session, "answer", "Enter"], check=True)
        self.wait_for("Out[2]: 42")


if __name__ == "__main__":
    unittest.main()
