package org.pdr4j.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human3.6M read from frame images, as OpenSTL prepares it
 * ({@code tools/prepare_data/download_human3.6m.sh}, read by
 * {@code openstl/datasets/dataloader_human.py}):
 * <pre>
 * ROOT/images/S1_Directions.54138969_000001.jpg   (subject_action.camera_frame, 6 digits; .png also read)
 * ROOT/train.txt                                  (OpenSTL's clip lists, from STRPM)
 * ROOT/test.txt
 * </pre>
 * {@code ROOT} is the {@code --data-root}, or its {@code human} sub-folder (OpenSTL's
 * {@code data/human}). Frames are RGB (channel order R, G, B; OpenSTL feeds OpenCV's B, G, R),
 * values in [0, 1], 256 x 256 as OpenSTL resizes them, and resized here to the requested size.
 *
 * <p><b>Clips</b>: a clip of {@code L = Tin + Tout} frames takes every {@link #STEP 5th} frame from
 * its first, as OpenSTL does: frames {@code b, b+5, ..., b+5(L-1)}.
 *
 * <p><b>Split, with the lists</b> (OpenSTL): each line of {@code train.txt} / {@code test.txt} is
 * {@code images/<video>_,<first frame>,<last frame>}; a clip starts at the first frame (the last is
 * not used, as in OpenSTL). Both lists hold clips of all seven subjects (S1, S5-S9, S11): OpenSTL's
 * split is by clip, not by subject. {@code "val"} reads {@code test.txt} (OpenSTL validates on its
 * test set).
 *
 * <p><b>Split, without the lists</b>: by subject, the usual Human3.6M protocol: S1, S5, S6, S7, S8
 * train; S9, S11 test (and val). Every video (the files of {@code images/} sharing a name up to the
 * frame number) gives clips starting at its first frame and every 5 frames after it, where all
 * {@code L} frames exist. Samples are in video-name, then start order.
 *
 * <p>Opening reads file names and one image header per video; pixels are decoded in {@link
 * Dataset#fill}, where a missing or corrupt frame is reported by name.
 */
public final class Human36m {
    /** The name this data set is registered under. */
    public static final String NAME = "human3.6m";

    /** Frames between the frames of a clip (OpenSTL's {@code step}). */
    public static final int STEP = 5;

    /** Subjects of the training split when there are no list files. */
    public static final List<String> TRAIN_SUBJECTS = List.of("S1", "S5", "S6", "S7", "S8");

    /** Subjects of the test (and validation) split when there are no list files. */
    public static final List<String> TEST_SUBJECTS = List.of("S9", "S11");

    private static final Pattern FRAME = Pattern.compile("(.*?)(\\d+)\\.(?i:png|jpe?g)");
    private static final Pattern SUBJECT = Pattern.compile("(S\\d+)_.*");

    private Human36m() {}

    /**
     * The split, clips and frame size {@code request} asks for.
     *
     * @throws DataFormatException when the root, its images or a list line are missing or malformed, or
     *                             no clip fits
     */
    public static Dataset open(DataRequest request) {
        Path root = request.requireRoot(NAME);
        Path base = Files.isDirectory(root.resolve("images")) || !Files.isDirectory(root.resolve("human").resolve("images")) ? root : root.resolve("human");
        Path images = base.resolve("images");
        if (!Files.isDirectory(images)) {
            throw new DataFormatException(base + ": no images folder; expected " + images.resolve("S1_Directions.54138969_000001.jpg") + " (and OpenSTL's train.txt, test.txt next to images)");
        }
        Path train = base.resolve("train.txt"), test = base.resolve("test.txt");
        boolean lists = Files.isRegularFile(train) || Files.isRegularFile(test);
        if (lists && !(Files.isRegularFile(train) && Files.isRegularFile(test))) {
            Path missing = Files.isRegularFile(train) ? test : train;
            throw new DataFormatException(missing + ": missing (its pair is there; OpenSTL's split needs both train.txt and test.txt, or neither for a split by subject)");
        }
        String split = request.split().equals("val") ? "val (= test, as OpenSTL)" : request.split();
        return lists
                ? fromList(request, base, request.split().equals("train") ? train : test, split)
                : bySubject(request, base, images, split);
    }

    /** OpenSTL's clips: the lines of {@code list}. */
    private static Dataset fromList(DataRequest request, Path base, Path list, String split) {
        int len = request.inFrames() + request.outFrames();
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(list + ": unreadable (" + FrameFolders.oneLine(e) + ")");
        }
        // Per video (name prefix): the clip starts, in list order.
        Map<String, List<Integer>> starts = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        List<Integer> lineStarts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] parts = line.split(",");
            int begin = -1;
            try {
                if (parts.length >= 2) begin = Integer.parseInt(parts[1].strip());
            } catch (NumberFormatException e) {
                begin = -1;
            }
            if (parts[0].isBlank() || begin < 0) {
                throw new DataFormatException(list + ": line " + (i + 1) + " is '" + abbreviate(line) + "', expected 'images/<video>_,<first frame>,<last frame>'");
            }
            starts.computeIfAbsent(parts[0].strip(), k -> new ArrayList<>()).add(begin);
            order.add(parts[0].strip());
            lineStarts.add(begin);
        }
        if (order.isEmpty()) throw new DataFormatException(list + ": no clips listed; expected lines like 'images/S1_Directions.54138969_,1,71'");

        // One sequence per video: the frames its clips use, sorted; the extension from its first frame.
        List<FrameFolders.Seq> seqs = new ArrayList<>();
        Map<String, Integer> seqOf = new HashMap<>();
        Map<String, int[]> numbersOf = new HashMap<>();
        long frames = 0;
        for (Map.Entry<String, List<Integer>> e : starts.entrySet()) {
            String prefix = e.getKey();
            TreeSet<Integer> used = new TreeSet<>();
            for (int b : e.getValue()) for (int k = 0; k < len; k++) used.add(b + STEP * k);
            int[] numbers = used.stream().mapToInt(Integer::intValue).toArray();
            String ext = extension(base, prefix, numbers[0]);
            String[] names = new String[numbers.length];
            for (int k = 0; k < numbers.length; k++) names[k] = prefix + String.format("%06d", numbers[k]) + ext;
            int[] size = FrameFolders.imageSize(base.resolve(names[0]));
            seqOf.put(prefix, seqs.size());
            numbersOf.put(prefix, numbers);
            seqs.add(new FrameFolders.Seq(prefix, base, names, size[0], size[1]));
            frames += numbers.length;
        }
        List<FrameFolders.Clip> clips = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            int[] numbers = numbersOf.get(order.get(i));
            int[] idx = new int[len];
            for (int k = 0; k < len; k++) idx[k] = Arrays.binarySearch(numbers, lineStarts.get(i) + STEP * k);
            clips.add(new FrameFolders.Clip(seqOf.get(order.get(i)), idx));
        }
        List<String> sources = List.of(
                list + ": Human3.6M " + split + ", OpenSTL's clip list (split by clip; all subjects)",
                seqs.size() + " videos, " + clips.size() + " clips of " + len + " frames (" + request.inFrames() + "->" + request.outFrames() + ", every " + STEP + "th frame), " + frames + " distinct frames",
                FrameFolders.resizeLine(seqs, request) + ", RGB");
        return new FrameFolders(NAME + "/" + request.split(), request, 3, seqs, clips, sources);
    }

    /** ".jpg" (OpenSTL's), or ".png"/".jpeg" when only that file exists for {@code prefix + number}. */
    private static String extension(Path base, String prefix, int number) {
        String stem = prefix + String.format("%06d", number);
        for (String ext : List.of(".jpg", ".png", ".jpeg")) if (Files.isRegularFile(base.resolve(stem + ext))) return ext;
        throw new DataFormatException(base.resolve(stem + ".jpg") + ": no such image file (listed in OpenSTL's clip list; .png also tried)");
    }

    /** Clips from every video of the split's subjects, every {@link #STEP} frames. */
    private static Dataset bySubject(DataRequest request, Path base, Path images, String split) {
        boolean train = request.split().equals("train");
        Set<String> subjects = Set.copyOf(train ? TRAIN_SUBJECTS : TEST_SUBJECTS);
        int len = request.inFrames() + request.outFrames();
        // video prefix -> frame number -> file name, sorted for a fixed order.
        TreeMap<String, TreeMap<Integer, String>> videos = new TreeMap<>();
        for (FrameFolders.Frame f : listImages(images)) {
            Matcher m = FRAME.matcher(f.name());
            Matcher s = SUBJECT.matcher(f.name());
            if (!m.matches() || !s.matches() || !subjects.contains(s.group(1))) continue;
            TreeMap<Integer, String> v = videos.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            String prev = v.put(f.number(), f.name());
            if (prev != null) throw new DataFormatException(images + ": two frames numbered " + f.number() + " (" + prev + ", " + f.name() + "); expected one image per frame");
        }
        String who = String.join(", ", train ? TRAIN_SUBJECTS : TEST_SUBJECTS);
        if (videos.isEmpty()) {
            throw new DataFormatException(images + ": no frames of subjects " + who + " (the " + request.split() + " split); expected "
                    + images.resolve("S1_Directions.54138969_000001.jpg") + " (or .png), or OpenSTL's train.txt and test.txt in " + base);
        }
        List<FrameFolders.Seq> seqs = new ArrayList<>();
        List<FrameFolders.Clip> clips = new ArrayList<>();
        long frames = 0;
        int longest = 0;
        for (Map.Entry<String, TreeMap<Integer, String>> v : videos.entrySet()) {
            TreeMap<Integer, String> byNumber = v.getValue();
            int[] numbers = byNumber.keySet().stream().mapToInt(Integer::intValue).toArray();
            String[] names = byNumber.values().toArray(String[]::new);
            frames += numbers.length;
            longest = Math.max(longest, numbers[numbers.length - 1] - numbers[0] + 1);
            List<int[]> found = new ArrayList<>();
            for (long b = numbers[0]; b + (long) STEP * (len - 1) <= numbers[numbers.length - 1]; b += STEP) {
                int[] idx = new int[len];
                boolean all = true;
                for (int k = 0; k < len && all; k++) {
                    idx[k] = Arrays.binarySearch(numbers, (int) (b + (long) STEP * k));
                    all = idx[k] >= 0;
                }
                if (all) found.add(idx);
            }
            if (found.isEmpty()) continue;
            int[] size = FrameFolders.imageSize(images.resolve(names[0]));
            for (int[] idx : found) clips.add(new FrameFolders.Clip(seqs.size(), idx));
            seqs.add(new FrameFolders.Seq(v.getKey(), images, names, size[0], size[1]));
        }
        if (clips.isEmpty()) {
            throw new DataFormatException(images + ": no video of subjects " + who + " has the " + len + " frames, " + STEP + " apart, of a " + request.clip()
                    + " clip (" + videos.size() + " videos, the longest spans " + longest + " frames)");
        }
        List<String> sources = List.of(
                images + ": Human3.6M " + split + " by subject (" + who + "; no OpenSTL train.txt/test.txt in " + base + ")",
                seqs.size() + " videos with clips, " + frames + " frames, " + clips.size() + " clips of " + len + " frames (" + request.inFrames() + "->" + request.outFrames()
                        + ", every " + STEP + "th frame, a clip every " + STEP + " frames)",
                FrameFolders.resizeLine(seqs, request) + ", RGB");
        return new FrameFolders(NAME + "/" + request.split(), request, 3, seqs, clips, sources);
    }

    private static List<FrameFolders.Frame> listImages(Path images) {
        List<FrameFolders.Frame> out = new ArrayList<>();
        try (var files = Files.list(images)) {
            for (var it = files.iterator(); it.hasNext(); ) {
                String n = it.next().getFileName().toString();
                int number = FrameFolders.frameNumber(n);
                if (number >= 0) out.add(new FrameFolders.Frame(n, number));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(images + ": cannot list the folder (" + FrameFolders.oneLine(e) + ")");
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
