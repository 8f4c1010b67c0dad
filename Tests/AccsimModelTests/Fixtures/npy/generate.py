#!/usr/bin/env python3
"""Regenerates the .npy fixtures of NPYFileTests (numpy 2.x): python3 generate.py"""
import numpy as np
from numpy.lib import format as npformat

np.save("int8_2x3.npy", np.array([[-128, -1, 0], [1, 64, 127]], dtype=np.int8))
np.save("uint8_4.npy", np.array([0, 1, 128, 255], dtype=np.uint8))
np.save("int16_scalar.npy", np.array(-12345, dtype=np.int16))
np.save("int32_2x2x2.npy", np.array([-2147483648, -1, 0, 1, 2, 3, 65536, 2147483647], dtype=np.int32).reshape(2, 2, 2))
np.save("float32_3.npy", np.array([0.1, -2.5, 3.4028235e38], dtype=np.float32))
np.save("int32_empty.npy", np.zeros((0,), dtype=np.int32))
with open("v2_int16_2x3.npy", "wb") as f:
    npformat.write_array(f, np.arange(-3, 3, dtype=np.int16).reshape(2, 3), version=(2, 0))
with open("v3_uint8_2.npy", "wb") as f:
    npformat.write_array(f, np.array([7, 9], dtype=np.uint8), version=(3, 0))
np.save("fortran_int32_2x3.npy", np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)))
np.save("bigendian_int32_3.npy", np.array([1, 2, 3], dtype=">i4"))
np.save("float64_2.npy", np.array([1.0, 2.0], dtype=np.float64))
