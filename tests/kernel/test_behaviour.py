"""How the kit's C# kernel behaves for a person at a front end: security, interrupt, restart, errors, stop_on_error, stdin,
live displays. Every check waits for messages (generous guards), never for a time to pass."""
import os
import tempfile
import unittest

import zmq
from jupyter_client.session import Session

import kit_kernel

KERNEL = "hardnegatives-csharp"


class CSharpKernelBehaviourTests(unittest.TestCase):
    kernel_name = KERNEL

    def setUp(self):
        self.km, self.kc = kit_kernel.start(self.kernel_name)

    def tearDown(self):
        kit_kernel.stop(self.km, self.kc)

    def run_cell(self, code, **kwargs):
        msg_id = self.kc.execute(code, **kwargs)
        reply = kit_kernel.reply_to(self.kc, msg_id)
        return reply, kit_kernel.iopub_until_idle(self.kc, msg_id)

    def assert_result(self, code, text):
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["content"]["status"], "ok", outputs)
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results, [text])

    def test_forged_and_unsigned_messages_are_ignored_and_a_signed_one_is_answered(self):
        marker = os.path.join(tempfile.mkdtemp(), "forged-ran")
        info = self.km.get_connection_info()
        good = Session(key=info["key"], signature_scheme=info["signature_scheme"])
        forged = Session(key=b"not-the-key", signature_scheme="hmac-sha256")
        unsigned = Session(key=b"")
        context = zmq.Context.instance()
        shell = context.socket(zmq.DEALER)
        shell.linger = 0
        shell.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        try:
            code = f'System.IO.File.WriteAllText(@"{marker}", "ran");'
            bad_ids = {
                forged.send(shell, "execute_request", {"code": code, "silent": False})["header"]["msg_id"],
                unsigned.send(shell, "execute_request", {"code": code, "silent": False})["header"]["msg_id"],
            }
            signed = good.send(shell, "kernel_info_request", {})["header"]["msg_id"]
            # Shell requests are served in order: a reply to a forged request would come before the signed one's.
            self.assertTrue(shell.poll(kit_kernel.TIMEOUT * 1000), "no reply to the signed request")
            _, reply = good.recv(shell, mode=0)
            self.assertNotIn(reply["parent_header"]["msg_id"], bad_ids)
            self.assertEqual(reply["parent_header"]["msg_id"], signed)
            self.assertEqual(reply["msg_type"], "kernel_info_reply")
        finally:
            shell.close()
        self.assertFalse(os.path.exists(marker), "a forged execute_request ran")
        self.assert_result("1 + 1", "2")

    def interrupt(self, code):
        msg_id = self.kc.execute(f'Console.WriteLine("started"); {code}')
        kit_kernel.wait_for_stream(self.kc, msg_id, "started")
        self.km.interrupt_kernel()
        reply = kit_kernel.reply_to(self.kc, msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("interrupted", reply["content"]["evalue"])
        self.assert_result("40 + 2", "42")

    def test_interrupt_ends_an_endless_loop_and_the_kernel_stays_usable(self):
        self.interrupt("while (true) { }")

    def test_interrupt_ends_a_long_sleep(self):
        self.interrupt("System.Threading.Thread.Sleep(600_000);")

    def test_interrupt_ends_a_long_await(self):
        self.interrupt("await Task.Delay(600_000);")

    def test_state_is_kept_across_cells_and_a_failing_cell_does_not_lose_it(self):
        self.run_cell("var kept = 41;")
        reply, outputs = self.run_cell('throw new InvalidOperationException("boom");')
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "InvalidOperationException")
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertIn("boom", "\n".join(errors[0]["content"]["traceback"]))
        self.assert_result("kept + 1", "42")

    def test_compile_error_names_line_and_column(self):
        reply, _ = self.run_cell('var a = 1;\nint b = "text";')
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("(2,9)", reply["content"]["evalue"])
        self.assertIn("CS0029", reply["content"]["evalue"])

    def test_restart_starts_a_fresh_kernel(self):
        self.run_cell("var before = 1;")
        old = self.km.provisioner.process
        self.km.restart_kernel(now=False)
        # The old kernel answered shutdown_request and exited by itself (a killed one has a negative return code).
        self.assertEqual(old.returncode, 0)
        self.kc.wait_for_ready(timeout=kit_kernel.STARTUP_TIMEOUT)
        reply, _ = self.run_cell("before")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("CS0103", reply["content"]["evalue"])
        self.assert_result("1 + 1", "2")

    def test_stop_on_error_aborts_the_queued_cell(self):
        # The failing cell runs long enough (5 s) for its follower, sent right after it, to be queued: a "Run All" after a
        # mistake. Not a timing assertion: the follower reaches the kernel within milliseconds of being sent.
        first = self.kc.execute('System.Threading.Thread.Sleep(5000); throw new Exception("first");')
        second = self.kc.execute('Console.WriteLine("second ran");')
        self.assertEqual(kit_kernel.reply_to(self.kc, first)["content"]["status"], "error")
        self.assertEqual(kit_kernel.reply_to(self.kc, second)["content"]["status"], "aborted")
        self.assert_result('"third"', "third")

    def test_stop_on_error_false_runs_the_queued_cell(self):
        first = self.kc.execute('System.Threading.Thread.Sleep(5000); throw new Exception("first");', stop_on_error=False)
        second = self.kc.execute("1 + 2")
        self.assertEqual(kit_kernel.reply_to(self.kc, first)["content"]["status"], "error")
        self.assertEqual(kit_kernel.reply_to(self.kc, second)["content"]["status"], "ok")

    def test_console_readline_asks_the_front_end(self):
        msg_id = self.kc.execute('var name = Console.ReadLine(); Console.WriteLine("hello " + name);', allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=kit_kernel.TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.kc.input("Ada")
        self.assertEqual(kit_kernel.reply_to(self.kc, msg_id)["content"]["status"], "ok")
        text = "".join(m["content"]["text"] for m in kit_kernel.iopub_until_idle(self.kc, msg_id) if m["msg_type"] == "stream")
        self.assertIn("hello Ada", text)

    def test_a_displayed_value_is_updated_in_place(self):
        _, outputs = self.run_cell("var shown = display(1); shown.Update(2);")
        shown = [m for m in outputs if m["msg_type"] == "display_data"]
        updated = [m for m in outputs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1)
        self.assertEqual(len(updated), 1)
        self.assertEqual(shown[0]["content"]["transient"]["display_id"], updated[0]["content"]["transient"]["display_id"])
        self.assertEqual(shown[0]["content"]["data"]["text/plain"], "1")
        self.assertEqual(updated[0]["content"]["data"]["text/plain"], "2")

    def test_silent_cells_show_nothing_and_do_not_count(self):
        before, _ = self.run_cell("1")
        reply, outputs = self.run_cell('Console.WriteLine("quiet"); 5', silent=True)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] != "status"], [])
        after, _ = self.run_cell("2")
        self.assertEqual(after["content"]["execution_count"], before["content"]["execution_count"] + 1)


if __name__ == "__main__":
    unittest.main()
