"""The jupyter_kernel_test conformance suite (messages validated against the protocol schema) for the kit's kernels.

One class per kernel: C# and F#, each with its language's samples.
"""
import unittest

import jupyter_kernel_test

import kit_kernel

# The suite reads its timeout at call time in some checks; the kit's first compile can be slow on a busy machine.
jupyter_kernel_test.TIMEOUT = kit_kernel.TIMEOUT


class KitKernelTests:
    """Mixed in before jupyter_kernel_test.KernelTests: starts the kernel with the kit's generous timeouts (the suite's own
    are 15 s and 60 s). A mixin, not a TestCase, so that unittest does not run the suite on the default kernel."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = kit_kernel.start(cls.kernel_name)

    @classmethod
    def tearDownClass(cls):
        kit_kernel.stop(cls.km, cls.kc)

    def execute_helper(self, code, timeout=kit_kernel.TIMEOUT, **kwargs):
        return super().execute_helper(code, timeout=timeout, **kwargs)


class CSharpKernelTests(KitKernelTests, jupyter_kernel_test.KernelTests):
    kernel_name = "hardnegatives-csharp"
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("to stderr");'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"ab" + "cd"', "result": "abcd"},
        {"code": "6 * 7", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": "display(42);", "mime": "text/plain"},
        {"code": 'display("hi");', "mime": "text/html"},
    ]
    code_generate_error = 'throw new InvalidOperationException("boom");'
    completion_samples = [
        {"text": "Console.WriteL", "matches": {"WriteLine"}},
        {"text": "Math.Ma", "matches": {"Max", "MaxMagnitude"}},
    ]
    complete_code_samples = ["1 + 1", "Console.WriteLine(1);", "int F() { return 1; }"]
    incomplete_code_samples = ["if (true) {", "Console.WriteLine(", "int F() {"]
    invalid_code_samples = ["}", "int = 5;"]
    code_inspect_sample = "Console.WriteLine"


class FSharpKernelTests(KitKernelTests, jupyter_kernel_test.KernelTests):
    kernel_name = "hardnegatives-fsharp"
    language_name = "fsharp"
    file_extension = ".fsx"

    code_hello_world = 'printfn "hello, world"'
    code_stderr = 'eprintfn "to stderr"'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"ab" + "cd"', "result": "abcd"},
        {"code": "6 * 7", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": "display 42 |> ignore", "mime": "text/plain"},
        {"code": 'display "hi" |> ignore', "mime": "text/html"},
    ]
    code_generate_error = 'invalidOp "boom" |> ignore<int>'
    completion_samples = [
        {"text": "System.Console.WriteL", "matches": {"WriteLine"}},
        {"text": "List.mapFoldB", "matches": {"mapFoldBack"}},
    ]
    complete_code_samples = ["1 + 1", 'printfn "hi"', "let f x = x + 1"]
    incomplete_code_samples = ["let f x =", "let xs = [1; 2", "(1 +"]
    invalid_code_samples = ["let x = )", "1 + )"]
    code_inspect_sample = "printfn"


if __name__ == "__main__":
    unittest.main()
