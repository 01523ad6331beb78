package org.pdr4j.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.io.MappedNpy;
import org.pdr4j.tensor.io.NpyFormatException;

/**
 * TaxiBJ crowd flows in the {@code dataset.npz} that OpenSTL distributes: arrays {@code X_train},
 * {@code Y_train}, {@code X_test}, {@code Y_test}, each {@code [N, 4, 2, 32, 32]} (sample, frame,
 * in/out flow, row, column) with values in [-1, 1]. Sample {@code i} of a split is
 * {@code X[i] -> Y[i]}; val is the test split, as in OpenSTL.
 *
 * <p>Normalisation as OpenSTL's: values are mapped to {@code (v + 1) / 2} in [0, 1] and its
 * "de-normalisation" uses mean 0 and std 1, so the de-normalised metrics are those of the [0, 1]
 * values ({@link ValueScale#UNIT_INTERVAL}), MSE and MAE summed over the 2 x 32 x 32 pixels of a
 * frame: the numbers the PDR and OpenSTL tables report.
 *
 * <p>The file may sit in the data root or in {@code <root>/taxibj/}. Stored entries are memory
 * mapped; compressed ones are inflated once to a temporary file.
 */
public final class TaxiBj implements Dataset {
    /** The file's name. */
    public static final String FILE = "dataset.npz";
    static final int FRAMES = 4, CHANNELS = 2, SIDE = 32;

    private final String split;
    private final MappedNpy x, y;
    private final List<String> sources;

    private TaxiBj(String split, MappedNpy x, MappedNpy y, List<String> sources) {
        this.split = split;
        this.x = x;
        this.y = y;
        this.sources = sources;
    }

    /**
     * The split {@code request} asks for; the clip must be TaxiBJ's 4 -> 4 at 32x32.
     *
     * @throws DataFormatException for a missing or malformed file or a clip the file cannot give
     */
    public static TaxiBj open(DataRequest request) {
        Path root = request.requireRoot("taxibj");
        Path file = Files.isRegularFile(root.resolve(FILE)) ? root.resolve(FILE) : root.resolve("taxibj").resolve(FILE);
        if (!Files.isRegularFile(file)) throw new DataFormatException(root + ": no " + FILE + " here or in taxibj/ (see README, \"Data sets\")");
        if (request.inFrames() != FRAMES || request.outFrames() != FRAMES || request.height() != SIDE || request.width() != SIDE)
            throw new DataFormatException(file + ": TaxiBJ gives 4 -> 4 clips at 32x32, the request wants " + request.clip());
        String part = request.split().equals("train") ? "train" : "test";
        MappedNpy x = entry(file, "X_" + part), y = entry(file, "Y_" + part);
        if (x.shape().dim(0) != y.shape().dim(0))
            throw new DataFormatException(file + ": X_" + part + " has " + x.shape().dim(0) + " samples but Y_" + part + " has " + y.shape().dim(0));
        List<String> src = List.of(
                x.where() + ": " + x.info().dtype() + " " + x.shape() + (part.equals(request.split()) ? "" : " (val is the test split, as in OpenSTL)"),
                y.where() + ": " + y.info().dtype() + " " + y.shape(),
                "values (v + 1) / 2, from [-1, 1] to [0, 1]; metrics on that scale (OpenSTL: mean 0, std 1)");
        return new TaxiBj(request.split(), x, y, src);
    }

    private static MappedNpy entry(Path file, String key) {
        MappedNpy m;
        try {
            m = MappedNpy.openNpz(file, key);
        } catch (NpyFormatException e) {
            throw new DataFormatException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Shape s = m.shape();
        if (s.rank() != 5 || s.dim(1) != FRAMES || s.dim(2) != CHANNELS || s.dim(3) != SIDE || s.dim(4) != SIDE)
            throw new DataFormatException(m.where() + ": expected [N, 4, 2, 32, 32], found " + s);
        return m;
    }

    @Override public String name() { return "taxibj/" + split; }
    @Override public int size() { return (int) x.shape().dim(0); }
    @Override public int inFrames() { return FRAMES; }
    @Override public int outFrames() { return FRAMES; }
    @Override public int channels() { return CHANNELS; }
    @Override public int height() { return SIDE; }
    @Override public int width() { return SIDE; }
    @Override public List<String> sources() { return sources; }

    @Override
    public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        checkFill(index, input, inOff, target, tgtOff);
        int n = inputLength();
        x.read((long) index * n, input, inOff, n);
        y.read((long) index * n, target, tgtOff, n);
        for (int i = 0; i < n; i++) {
            input[inOff + i] = (input[inOff + i] + 1) * 0.5f;
            target[tgtOff + i] = (target[tgtOff + i] + 1) * 0.5f;
        }
    }
}
