"""The raw layer mirrors floe.h: constants agree with the header, and raw calls behave as documented."""
import ctypes
import re
import unittest
from pathlib import Path

from floe import _ffi

HEADER = Path(__file__).resolve().parents[3] / "native-abi" / "include" / "floe.h"


class FfiTests(unittest.TestCase):
    def test_constants_match_header(self):
        text = HEADER.read_text(encoding="utf-8")
        values = dict(re.findall(r"#define (FLOE_(?:VERSION_\w+|ABI_VERSION)) (\d+)", text))
        values.update(re.findall(r"\b(FLOE_E?[A-Z_]+) = (-?\d+)", text))
        self.assertEqual(len(values), 20)  # 4 version macros, 12 error codes, 2 ingest modes, 2 ref kinds
        for name, value in values.items():
            self.assertEqual(getattr(_ffi, name), int(value), name)
        self.assertIn(f'#define FLOE_VERSION "{_ffi.FLOE_VERSION}"', text)

    def test_every_header_function_is_bound(self):
        text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
        functions = re.findall(r"FLOE_API [^;(]*?\b(floe_\w+)\(", text)
        self.assertTrue(functions)
        for name in functions:
            self.assertTrue(hasattr(_ffi, name), name)

    def test_last_error_is_never_null(self):
        self.assertTrue(bool(_ffi.floe_last_error()))

    def test_forged_handle_is_invalid_handle(self):
        buf = _ffi.floe_buf()
        code = _ffi.floe_warehouse_path(ctypes.byref(buf), _ffi.floe_warehouse_p(0x1234))
        self.assertEqual(code, _ffi.FLOE_EINVALID_HANDLE)
        self.assertFalse(buf.data)
        self.assertEqual(_ffi.floe_last_error().contents.category, b"invalid_handle")

    def test_closed_handle_is_invalid_handle(self):
        handle = _ffi.floe_warehouse_p()
        self.assertEqual(_ffi.floe_warehouse_open(ctypes.byref(handle), b"/tmp/raw"), _ffi.FLOE_OK)
        _ffi.floe_warehouse_close(handle)
        buf = _ffi.floe_buf()
        self.assertEqual(_ffi.floe_warehouse_path(ctypes.byref(buf), handle), _ffi.FLOE_EINVALID_HANDLE)

    def test_buf_is_nul_terminated_and_freed(self):
        handle = _ffi.floe_warehouse_p()
        self.assertEqual(_ffi.floe_warehouse_open(ctypes.byref(handle), b"/tmp/raw"), _ffi.FLOE_OK)
        buf = _ffi.floe_buf()
        self.assertEqual(_ffi.floe_warehouse_path(ctypes.byref(buf), handle), _ffi.FLOE_OK)
        self.assertEqual(ctypes.string_at(buf.data), b"/tmp/raw")
        self.assertEqual(buf.len, 8)
        _ffi.floe_buf_free(ctypes.byref(buf))
        self.assertFalse(buf.data)
        self.assertEqual(buf.len, 0)
        _ffi.floe_buf_free(None)
        _ffi.floe_warehouse_close(handle)
        _ffi.floe_warehouse_close(None)


if __name__ == "__main__":
    unittest.main()
