package org.pdr4j.golden;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.tensor.Tensor;

/**
 * One golden case written by {@code tests-property/scripts/make_golden.py}: the header words
 * ({@code case}, {@code expr}, {@code inputs}, {@code consts}) and the tensors by
 * {@code "<key> <dtype>"}, e.g. {@code "out f64"} or {@code "grad.x f32"}. The format is
 * described at the top of the script.
 */
record GoldenFixture(String name, List<String> inputs, List<String> consts, Map<String, Tensor> tensors) {

    static final String DIR = "/golden/ops/";

    static GoldenFixture load(String name) {
        return load(DIR, name);
    }

    /** A case from another fixture folder ({@code dir} like "/golden/conv/"), same format. */
    static GoldenFixture load(String dir, String name) {
        Map<String, List<String>> words = new HashMap<>();
        Map<String, Tensor> tensors = new HashMap<>();
        for (String line : lines(dir + name + ".txt")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] w = line.trim().split("\\s+");
            if (!w[0].equals("tensor")) {
                words.put(w[0], List.of(Arrays.copyOfRange(w, 1, w.length)));
                continue;
            }
            int colon = Arrays.asList(w).indexOf(":");
            int[] dims = Arrays.stream(w, 3, colon).mapToInt(Integer::parseInt).toArray();
            String[] v = Arrays.copyOfRange(w, colon + 1, w.length);
            Tensor t = switch (w[2]) {
                case "f32" -> { float[] a = new float[v.length]; for (int i = 0; i < a.length; i++) a[i] = Float.parseFloat(v[i]); yield Tensor.of(a, dims); }
                case "f64" -> Tensor.of(Arrays.stream(v).mapToDouble(Double::parseDouble).toArray(), dims);
                default -> throw new IllegalArgumentException(name + ": unknown dtype " + w[2]);
            };
            if (tensors.put(w[1] + " " + w[2], t) != null) throw new IllegalArgumentException(name + ": duplicate tensor " + w[1]);
        }
        if (!List.of(name).equals(words.get("case"))) throw new IllegalArgumentException(name + ": header names case " + words.get("case"));
        return new GoldenFixture(name, words.get("inputs"), words.getOrDefault("consts", List.of()), tensors);
    }

    /** The tensor stored under {@code key} in {@code dtype} ("f32" or "f64"). */
    Tensor get(String key, String dtype) {
        Tensor t = tensors.get(key + " " + dtype);
        if (t == null) throw new IllegalArgumentException(name + ": no tensor " + key + " " + dtype);
        return t;
    }

    /** Non-blank, non-comment lines of a classpath resource. */
    static List<String> lines(String resource) {
        InputStream in = GoldenFixture.class.getResourceAsStream(resource);
        if (in == null) throw new IllegalArgumentException("missing resource " + resource);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank() && !l.startsWith("#")) out.add(l);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
