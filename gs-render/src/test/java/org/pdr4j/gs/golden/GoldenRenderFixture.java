package org.pdr4j.gs.golden;

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
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * One golden case written by {@code gs-render/scripts/make_golden_render.py}: the header words
 * ({@code case}, {@code spec H W K}, {@code covers ...}) and the tensors by
 * {@code "<key> <dtype>"}, e.g. {@code "out f32"} or {@code "grad.scale f64"}. The format is the
 * one of {@code tests-property}'s {@code GoldenFixture} (this reader is a copy of it, with the
 * renderer's header words), described at the top of the script.
 */
record GoldenRenderFixture(String name, RenderSpec spec, List<String> covers, Map<String, Tensor> tensors) {

    static final String DIR = "/golden/render/";

    /** The renderer's inputs, in the order of {@link Gaussians}. */
    static final List<String> INPUTS = List.of("coords", "scale", "rotation", "amplitudes");

    /** The case names listed in {@code MANIFEST.txt}. */
    static List<String> names() {
        return lines(DIR + "MANIFEST.txt").stream().map(String::trim).toList();
    }

    static GoldenRenderFixture load(String name) {
        Map<String, List<String>> words = new HashMap<>();
        Map<String, Tensor> tensors = new HashMap<>();
        for (String line : lines(DIR + name + ".txt")) {
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
        List<String> s = words.get("spec");
        if (s == null || s.size() != 3) throw new IllegalArgumentException(name + ": needs 'spec H W K', got " + s);
        RenderSpec spec = new RenderSpec(Integer.parseInt(s.get(0)), Integer.parseInt(s.get(1)), Integer.parseInt(s.get(2)));
        return new GoldenRenderFixture(name, spec, words.getOrDefault("covers", List.of()), tensors);
    }

    /** The tensor stored under {@code key} in {@code dtype} ("f32" or "f64"). */
    Tensor get(String key, String dtype) {
        Tensor t = tensors.get(key + " " + dtype);
        if (t == null) throw new IllegalArgumentException(name + ": no tensor " + key + " " + dtype);
        return t;
    }

    /** The float32 inputs, converted to {@code dtype} (exactly, for F64). */
    Gaussians gaussians(DType dtype) {
        Gaussians g = new Gaussians(get("coords", "f32"), get("scale", "f32"), get("rotation", "f32"), get("amplitudes", "f32"));
        return dtype == DType.F32 ? g : g.to(dtype);
    }

    /** The upstream gradient of the image, {@code [P, C, H, W]}, in {@code dtype}. */
    Tensor upstream(DType dtype) {
        Tensor u = get("upstream", "f32");
        return dtype == DType.F32 ? u : u.to(dtype);
    }

    /** Non-blank, non-comment lines of a classpath resource. */
    static List<String> lines(String resource) {
        InputStream in = GoldenRenderFixture.class.getResourceAsStream(resource);
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
