"""FloeError subclasses are chosen by code, carry code/category/message, and errors are per thread."""
import threading
import unittest

import floe
from floe import _errors, _ffi


class ErrorTests(unittest.TestCase):
    def test_null_path_raises_invalid_argument(self):
        with self.assertRaises(floe.InvalidArgumentError) as caught:
            floe.Warehouse(None)
        self.assertEqual(caught.exception.code, _ffi.FLOE_EINVALID_ARG)
        self.assertEqual(caught.exception.category, "invalid_argument")
        self.assertEqual(str(caught.exception), "floe_warehouse_open: path must not be NULL")

    def test_empty_path_raises_invalid_argument_which_is_a_value_error(self):
        with self.assertRaises(ValueError):
            floe.Warehouse("")

    def test_invalid_utf8_raises_invalid_argument(self):
        with self.assertRaises(floe.InvalidArgumentError) as caught:
            floe.Warehouse(b"/tmp/\xff")
        self.assertIn("not valid UTF-8 (byte 5)", str(caught.exception))

    def test_every_code_maps_to_its_class(self):
        for code in range(-11, 0):
            cls = _errors._BY_CODE[code]
            self.assertTrue(issubclass(cls, floe.FloeError))
            self.assertEqual(cls.code, code)
        self.assertEqual(len(set(_errors._BY_CODE.values())), 11)
        self.assertTrue(floe.CommitConflictError.retryable)

    def test_unknown_code_is_a_plain_floe_error(self):
        error = _errors.error_for(-99)
        self.assertIs(type(error), floe.FloeError)
        self.assertEqual(error.code, -99)

    def test_errors_are_per_thread(self):
        with self.assertRaises(floe.InvalidArgumentError):
            floe.Warehouse("")
        seen = {}

        def other():
            seen["before"] = _ffi.floe_last_error().contents.code

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        self.assertEqual(seen["before"], _ffi.FLOE_OK)
        self.assertEqual(_ffi.floe_last_error().contents.code, _ffi.FLOE_EINVALID_ARG)


if __name__ == "__main__":
    unittest.main()
