#!/usr/bin/python3
"""Writes the tiny NumPy fixtures NpyTest reads (run once; the tests need no Python).

    cd tensor/src/test/resources/npy && /usr/bin/python3 make_fixtures.py

Made with Debian's python3-numpy 1.24. Every array's values are spelled out in NpyTest.
"""
import numpy as np

np.save("f32_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3) - 2.5)
np.save("f64_scalar.npy", np.array(3.25, dtype="<f8"))
np.save("f32_vec_be.npy", np.array([1.5, -2.0, 1e-3], dtype=">f4"))
# Moving MNIST's mnist_test_seq.npy is uint8 [20, 10000, 64, 64]; this is the same layout, tiny.
np.save("u8_seq.npy", np.array([0, 1, 127, 128, 200, 255] * 4, dtype=np.uint8).reshape(2, 1, 3, 4))
np.save("i8.npy", np.array([-128, -1, 0, 127], dtype=np.int8))
np.save("i16_be.npy", np.array([-2, 300, 32767, -32768], dtype=">i2"))
np.save("u16.npy", np.array([0, 65535], dtype="<u2"))
np.save("i32.npy", np.array([[-7, 0], [1 << 20, -(1 << 31)]], dtype="<i4"))
np.save("i64.npy", np.array([-5, 1 << 40], dtype="<i8"))
np.save("u64.npy", np.array([0, 2**64 - 1], dtype="<u8"))
np.save("f16.npy", np.array([0.5, -2.0, 65504.0], dtype="<f2"))
np.save("bool.npy", np.array([True, False, True]))
np.save("empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("complex.npy", np.array([1 + 2j], dtype="<c8"))
np.save("strings.npy", np.array(["ab", "c"]))
# Keys out of alphabetical order, to check that the archive's order is kept.
np.savez("savez.npz", b=np.ones((2, 2), np.float32), a=np.arange(3, dtype=np.float64))
np.savez_compressed("savez_compressed.npz",
                    frames=np.arange(24, dtype=np.uint8).reshape(2, 3, 4) * 10,
                    coords=np.linspace(-1, 1, 6, dtype=np.float32).reshape(1, 3, 2))
