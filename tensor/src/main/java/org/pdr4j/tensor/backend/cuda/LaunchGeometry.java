package org.pdr4j.tensor.backend.cuda;

/**
 * Grid and block dimensions (and dynamic shared memory) of one kernel launch, checked against
 * the limits every CUDA device of compute capability 3.0 or later has: at most 1024 threads per
 * block ({@code x, y <= 1024}, {@code z <= 64}), {@code gridX < 2^31}, {@code gridY, gridZ <= 65535},
 * and 48 KiB of shared memory without opting in. Pure Java, tested without a driver.
 */
public record LaunchGeometry(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {
    public static final int MAX_THREADS_PER_BLOCK = 1024;
    public static final int MAX_GRID_X = Integer.MAX_VALUE;
    public static final int MAX_GRID_YZ = 65535;
    public static final int MAX_SHARED_BYTES = 48 * 1024;
    public static final int WARP = 32;

    public LaunchGeometry {
        if (gridX < 1 || gridY < 1 || gridZ < 1) {
            throw new IllegalArgumentException("grid dimensions must be >= 1, got " + gridX + " x " + gridY + " x " + gridZ);
        }
        if (gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("gridY and gridZ must be <= " + MAX_GRID_YZ + ", got " + gridY + ", " + gridZ);
        }
        if (blockX < 1 || blockY < 1 || blockZ < 1 || blockX > 1024 || blockY > 1024 || blockZ > 64) {
            throw new IllegalArgumentException("block dimensions must be in [1, 1024] x [1, 1024] x [1, 64], got "
                    + blockX + " x " + blockY + " x " + blockZ);
        }
        if ((long) blockX * blockY * blockZ > MAX_THREADS_PER_BLOCK) {
            throw new IllegalArgumentException("a block may hold at most " + MAX_THREADS_PER_BLOCK + " threads, got "
                    + blockX + " x " + blockY + " x " + blockZ);
        }
        if (sharedBytes < 0 || sharedBytes > MAX_SHARED_BYTES) {
            throw new IllegalArgumentException("dynamic shared memory must be in [0, " + MAX_SHARED_BYTES + "] bytes, got " + sharedBytes);
        }
    }

    /** {@code ceil(a / b)} for {@code a >= 0, b >= 1}. */
    public static long ceilDiv(long a, long b) {
        if (a < 0 || b < 1) throw new IllegalArgumentException("ceilDiv needs a >= 0 and b >= 1, got " + a + ", " + b);
        return (a + b - 1) / b;
    }

    /** One thread per element of {@code n} (at least one block), in 1D blocks of {@code block} threads. */
    public static LaunchGeometry linear(long n, int block) {
        long g = Math.max(1, ceilDiv(n, block));
        if (g > MAX_GRID_X) throw new IllegalArgumentException(n + " elements need " + g + " blocks of " + block + ", more than " + MAX_GRID_X);
        return new LaunchGeometry((int) g, 1, 1, block, 1, 1, 0);
    }

    /** Threads launched in all. */
    public long threads() {
        return (long) gridX * gridY * gridZ * blockX * blockY * blockZ;
    }

    /** Threads per block. */
    public int blockThreads() {
        return blockX * blockY * blockZ;
    }

    @Override
    public String toString() {
        return "grid " + gridX + "x" + gridY + "x" + gridZ + ", block " + blockX + "x" + blockY + "x" + blockZ
                + (sharedBytes > 0 ? ", " + sharedBytes + " B shared" : "");
    }
}
