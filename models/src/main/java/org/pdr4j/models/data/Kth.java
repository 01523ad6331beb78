package org.pdr4j.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KTH Action data set read from folders of frame images, as OpenSTL prepares it
 * ({@code tools/prepare_data/download_kth.sh}, read by {@code openstl/datasets/dataloader_kth.py}):
 * <pre>
 * ROOT/boxing/person01_boxing_d1_uncomp/image_0001.jpg   (or .png)
 * ROOT/boxing/person01_boxing_d1_uncomp/image_0002.jpg
 * ...
 * ROOT/walking/person25_walking_d4_uncomp/...
 * </pre>
 * {@code ROOT} is the {@code --data-root}, or its {@code kth} sub-folder (OpenSTL's
 * {@code data/kth}). Each sequence folder under an action folder is one video; its frames are
 * ordered by the number at the end of their names. Frames are 1 gray channel in [0, 1] (native
 * 160 x 120), resized to the requested size. A missing action folder is skipped (the others are
 * read); folders not named {@code personNN...} are ignored.
 *
 * <p><b>Split</b> (OpenSTL's): persons 01-16 train, persons 17-25 test. OpenSTL has no validation
 * set and validates on the test set, so {@code "val"} is the test split here too.
 *
 * <p><b>Clips</b> (OpenSTL's rule, the same for train and test): windows of {@code L = Tin + Tout}
 * frames with consecutive frame numbers, placed from the end of each sequence backwards. After a
 * window ending at frame {@code e} is taken, the next window ends at {@code e - L} for boxing,
 * handclapping, handwaving and walking (no overlap) and at {@code e - 3} for jogging and running
 * (windows start 3 frames apart); where a window has a gap in the numbering the end moves back by
 * one frame. A sequence shorter than {@code L} gives no clip. Samples are ordered by action
 * (alphabetically), sequence folder name, then window start (OpenSTL's set of windows, in a fixed
 * order of our own).
 */
public final class Kth {
    /** The name this data set is registered under. */
    public static final String NAME = "kth";

    /** The six actions, in sample order. */
    public static final List<String> ACTIONS = List.of("boxing", "handclapping", "handwaving", "jogging", "running", "walking");

    /** Actions whose windows start 3 frames apart (OpenSTL's "category 2"); the others do not overlap. */
    static final Set<String> DENSE = Set.of("jogging", "running");

    /** Window step, in frames, for the actions in {@link #DENSE}. */
    static final int DENSE_STEP = 3;

    /** Persons 1..16 are training data; the rest (17..25) are the test (and validation) split. */
    static final int LAST_TRAIN_PERSON = 16;

    private static final Pattern PERSON = Pattern.compile("person(\\d+).*");

    private Kth() {}

    /**
     * The split, clips and frame size {@code request} asks for.
     *
     * @throws DataFormatException when the root is missing, holds no KTH sequences for the split, or
     *                             no sequence is long enough for one clip
     */
    public static Dataset open(DataRequest request) {
        Path root = request.requireRoot(NAME);
        Path base = base(root);
        boolean train = request.split().equals("train");
        String persons = train ? "persons 01-" + LAST_TRAIN_PERSON : "persons " + (LAST_TRAIN_PERSON + 1) + "-25";
        String layout = "expected " + base.resolve("boxing").resolve("person01_boxing_d1_uncomp").resolve("image_0001.png") + " (or .jpg)";
        int len = request.inFrames() + request.outFrames();

        List<FrameFolders.Seq> seqs = new ArrayList<>();
        List<FrameFolders.Clip> clips = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        long frames = 0;
        int longest = 0;
        for (String action : ACTIONS) {
            Path dir = base.resolve(action);
            if (!Files.isDirectory(dir)) continue;
            actions.add(action);
            for (Path folder : FrameFolders.subfolders(dir)) {
                Matcher m = PERSON.matcher(folder.getFileName().toString());
                if (!m.matches()) continue;
                int person = Integer.parseInt(m.group(1));
                if ((person <= LAST_TRAIN_PERSON) != train) continue;
                List<FrameFolders.Frame> fs = FrameFolders.frames(folder);
                if (fs.isEmpty()) continue;
                String[] names = new String[fs.size()];
                int[] numbers = new int[fs.size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = fs.get(i).name();
                    numbers[i] = fs.get(i).number();
                }
                int[] size = FrameFolders.imageSize(folder.resolve(names[0]));
                int seq = seqs.size();
                seqs.add(new FrameFolders.Seq(action + "/" + folder.getFileName(), folder, names, size[0], size[1]));
                frames += names.length;
                longest = Math.max(longest, names.length);
                for (int start : windowStarts(numbers, len, DENSE.contains(action) ? DENSE_STEP : len)) {
                    int[] idx = new int[len];
                    for (int k = 0; k < len; k++) idx[k] = start + k;
                    clips.add(new FrameFolders.Clip(seq, idx));
                }
            }
        }
        if (actions.isEmpty()) throw new DataFormatException(base + ": no KTH action folders (" + String.join(", ", ACTIONS) + "); " + layout);
        if (seqs.isEmpty()) throw new DataFormatException(base + ": no KTH sequences of " + persons + " (the " + request.split() + " split) with frame images; " + layout);
        if (clips.isEmpty()) {
            throw new DataFormatException(base + ": no sequence of " + persons + " has " + len + " consecutive frames for a " + request.clip()
                    + " clip (" + seqs.size() + " sequences, the longest " + longest + " frames)");
        }
        String split = request.split().equals("val") ? "val (= test, as OpenSTL)" : request.split();
        List<String> sources = List.of(
                base + ": KTH " + split + ", " + persons + ", actions " + String.join(", ", actions),
                seqs.size() + " sequences, " + frames + " frames, " + clips.size() + " clips of " + len + " frames (" + request.inFrames() + "->" + request.outFrames()
                        + "; windows every " + len + " frames, every " + DENSE_STEP + " for jogging and running, as OpenSTL)",
                FrameFolders.resizeLine(seqs, request) + ", 1 gray channel");
        return new FrameFolders(NAME + "/" + request.split(), request, 1, seqs, clips, sources);
    }

    /** {@code root}, or its {@code kth} sub-folder when only that holds action folders. */
    static Path base(Path root) {
        for (String a : ACTIONS) if (Files.isDirectory(root.resolve(a))) return root;
        Path sub = root.resolve("kth");
        return Files.isDirectory(sub) ? sub : root;
    }

    /**
     * Start positions (ascending) of OpenSTL's windows over a sequence with frame {@code numbers}
     * (ascending): scanning ends from the last frame back, a window of {@code len} frames is taken
     * when its numbers are consecutive, and then the next end is {@code step} frames earlier;
     * otherwise the end moves back one frame.
     */
    static List<Integer> windowStarts(int[] numbers, int len, int step) {
        List<Integer> starts = new ArrayList<>();
        int end = numbers.length - 1;
        while (end >= len - 1) {
            int start = end - len + 1;
            if (numbers[end] - numbers[start] == len - 1) {
                starts.add(start);
                end -= step;
            } else {
                end -= 1;
            }
        }
        return starts.reversed();
    }
}
