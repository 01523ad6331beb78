package org.pdr4j.models.viz;

import java.util.Map;

/**
 * Row labels in a built-in 3x5 pixel font (lower-case letters, digits, a few signs), drawn at an
 * integer zoom: no system fonts, so pictures are the same on every machine, headless or not.
 * Characters it lacks are drawn as blanks.
 */
final class Label {
    static final int ZOOM = 2;
    /** Width of one character cell, spacing included, at zoom 1. */
    static final int CELL = 4;
    static final int HEIGHT = 5;

    private static final Map<Character, String> FONT = Map.ofEntries(
            Map.entry('a', ".##..##.###.###"), Map.entry('b', "#..#..###.####."),
            Map.entry('c', "....###..#...##"), Map.entry('d', "..#..####.#.###"),
            Map.entry('e', ".###.####...###"), Map.entry('f', "..##.#.###.#.#."),
            Map.entry('g', ".####.###..###."), Map.entry('h', "#..#..##.#.##.#"),
            Map.entry('i', ".#.....#..#..#."), Map.entry('j', "..#.....#.#.##."),
            Map.entry('k', "#..#.###.##.#.#"), Map.entry('l', "##..#..#..#.###"),
            Map.entry('m', "...#####.##.#.#"), Map.entry('n', "...##.#.##.##.#"),
            Map.entry('o', "....#.#.##.#.#."), Map.entry('p', "...##.#.###.#.."),
            Map.entry('q', "....###.###..#."), Map.entry('r', "...#.##..#..#.."),
            Map.entry('s', "....###.#...###"), Map.entry('t', ".#.###.#..#...#"),
            Map.entry('u', "...#.##.##.#.##"), Map.entry('v', "...#.##.##.#.#."),
            Map.entry('w', "...#.##.######."), Map.entry('x', "...#.#.#..#.#.#"),
            Map.entry('y', "#.##.#.###..##."), Map.entry('z', "...###..#.#..##"),
            Map.entry('0', "####.##.##.####"), Map.entry('1', ".#.##..#..#.###"),
            Map.entry('2', "###..#####..###"), Map.entry('3', "###..###..#####"),
            Map.entry('4', "#.##.####..#..#"), Map.entry('5', "####..###..####"),
            Map.entry('6', "####..####.####"), Map.entry('7', "###..#..#..#..#"),
            Map.entry('8', "####.#####.####"), Map.entry('9', "####.####..####"),
            Map.entry('-', "......###......"), Map.entry('.', ".............#."),
            Map.entry(':', "....#.....#...."), Map.entry('_', "............###"));

    private Label() {}

    /** Width in pixels of {@code text} at {@link #ZOOM}. */
    static int width(String text) {
        return text.length() * CELL * ZOOM;
    }

    /** Draws {@code text} in {@code color} with its top-left at (x0, y0). */
    static void draw(Canvas c, String text, int x0, int y0, int color) {
        for (int i = 0; i < text.length(); i++) {
            String bits = FONT.get(Character.toLowerCase(text.charAt(i)));
            if (bits == null) continue;
            for (int r = 0; r < HEIGHT; r++) {
                for (int k = 0; k < 3; k++) {
                    if (bits.charAt(r * 3 + k) == '#') c.rect(x0 + (i * CELL + k) * ZOOM, y0 + r * ZOOM, ZOOM, ZOOM, color);
                }
            }
        }
    }
}
