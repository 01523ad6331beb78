package org.pdr4j.models.data;

import java.nio.file.Path;

/**
 * What a caller asks a data set {@link Datasets.Factory factory} for: one split, the clip lengths and
 * frame size the model was built for, and where the user's files are.
 *
 * <p>A loader produces exactly {@code inFrames -> outFrames} clips of {@code height x width}
 * frames, or fails with a {@link DataFormatException} that says what it can produce instead.
 * Loaders of image folders resize to the requested size; loaders of fixed arrays (Moving MNIST,
 * TaxiBJ, WeatherBench) do not.
 *
 * @param split "train", "val" or "test"
 * @param seed  for data sets generated on the fly (Moving MNIST's training sequences)
 * @param root  the folder given by {@code --data-root}; null when none was given
 */
public record DataRequest(String split, long seed, Path root, int inFrames, int outFrames, int height, int width) {
    /** The splits every data set has. */
    public static final java.util.List<String> SPLITS = java.util.List.of("train", "val", "test");

    public DataRequest {
        if (!SPLITS.contains(split)) throw new IllegalArgumentException("unknown split '" + split + "' (known: train, val, test)");
        if (inFrames < 1 || outFrames < 1) throw new IllegalArgumentException("clips need >= 1 input and output frame, got " + inFrames + " -> " + outFrames);
        if (height < 1 || width < 1) throw new IllegalArgumentException("frame size must be positive, got " + height + "x" + width);
    }

    /**
     * The data root, checked to be a folder.
     *
     * @param dataset the data set's name, for the message
     * @throws DataFormatException when no root was given or it is not a folder
     */
    public Path requireRoot(String dataset) {
        if (root == null) throw new DataFormatException(dataset + " reads files you already have: pass --data-root DIR (see README, \"Data sets\")");
        if (!java.nio.file.Files.isDirectory(root)) throw new DataFormatException(root + ": no such folder (the --data-root for " + dataset + ")");
        return root;
    }

    /** {@code "inFrames->outFrames at HxW"}, for messages. */
    public String clip() {
        return inFrames + "->" + outFrames + " at " + height + "x" + width;
    }
}
