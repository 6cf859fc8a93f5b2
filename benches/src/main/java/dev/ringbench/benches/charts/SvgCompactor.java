package dev.ringbench.benches.charts;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the charts' SVG files small (tens of KB, not hundreds) without changing what they show.
 * XChart draws every piece of text as glyph outlines and every dashed grid line as one filled
 * rectangle per dash, and VectorGraphics2D writes each curve segment as its own {@code <line>}
 * with its full style; this class, used for the SVG only (the PNG is drawn as before):
 * <ul>
 *   <li>{@link Graphics}: fills made only of thin axis-aligned rectangles (the dashes) become one
 *       stroked path of their centre lines, of the rectangles' thickness with butt caps: the same
 *       pixels;</li>
 *   <li>{@link #compact}: path data is rewritten with relative coordinates to 0.1 px (rounded in
 *       absolute terms first, so no error accumulates), and each run of {@code <line>} elements of
 *       one style becomes one {@code <path>} (joins drawn round where the caps were round).</li>
 * </ul>
 * Text stays outlines: XChart gives no way to draw it as SVG text.
 */
final class SvgCompactor {
    /** Thicker rectangles than this (px) are kept as fills (bars, legend boxes). */
    static final double THIN = 2.0;

    private SvgCompactor() {
    }

    /** VectorGraphics2D that turns fills of thin rectangles (dashes) into strokes. */
    static final class Graphics extends VectorGraphics2D {
        @Override
        public void fill(Shape s) {
            Path2D centres = new Path2D.Double();
            double thickness = thinRectangles(s, centres);
            if (thickness <= 0) {
                super.fill(s);
                return;
            }
            Stroke old = getStroke();
            float[] dash = new float[2];
            Path2D lead = new Path2D.Double();
            java.awt.geom.Line2D line = dashedLine(centres, dash, lead);
            BasicStroke solid = new BasicStroke((float) thickness, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
            try {
                setStroke(solid);
                if (line == null) {
                    draw(centres);
                    return;
                }
                if (lead.getCurrentPoint() != null) {
                    draw(lead);
                }
                setStroke(new BasicStroke((float) thickness, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
                draw(line);
            } finally {
                setStroke(old);
            }
        }
    }

    /**
     * When {@code segments} are two or more equal dashes (the last may be shorter) along one
     * horizontal or vertical line with equal gaps (a dashed grid line), the line from the first dash's start to the last one's end,
     * with {@code dash} set to {length, gap}; otherwise null. A shorter first dash (the line's dash
     * phase) is left out of the line and appended to {@code lead}.
     */
    static java.awt.geom.Line2D dashedLine(Path2D segments, float[] dash, Path2D lead) {
        List<double[]> seg = new ArrayList<>();
        double[] c = new double[6];
        double[] start = null;
        for (PathIterator it = segments.getPathIterator(null); !it.isDone(); it.next()) {
            if (it.currentSegment(c) == PathIterator.SEG_MOVETO) {
                start = new double[] {c[0], c[1]};
            } else {
                seg.add(new double[] {start[0], start[1], c[0], c[1]});
            }
        }
        if (seg.size() < 2) {
            return null;
        }
        boolean horizontal = seg.get(0)[1] == seg.get(0)[3];
        int along = horizontal ? 0 : 1;
        seg.sort(java.util.Comparator.comparingDouble(a -> a[along])); // Java's dasher emits the first dash last
        double[] first = seg.get(0);
        if (seg.size() > 2 && first[along + 2] - first[along] < seg.get(1)[along + 2] - seg.get(1)[along] - EPSILON) {
            seg.remove(0); // a partial first dash: drawn on its own
            lead.moveTo(first[0], first[1]);
            lead.lineTo(first[2], first[3]);
        }
        double length = seg.get(0)[along + 2] - seg.get(0)[along];
        double gap = seg.get(1)[along] - seg.get(0)[along + 2];
        for (int i = 0; i < seg.size(); i++) {
            double[] a = seg.get(i);
            boolean sameLine = horizontal ? a[1] == a[3] && a[1] == seg.get(0)[1] : a[0] == a[2] && a[0] == seg.get(0)[0];
            double l = a[along + 2] - a[along]; // the last dash may be cut short where the line ends
            boolean sameLength = Math.abs(l - length) < EPSILON || (i == seg.size() - 1 && l > 0 && l < length);
            boolean sameGap = i == 0 || Math.abs(a[along] - seg.get(i - 1)[along + 2] - gap) < EPSILON;
            if (!sameLine || !sameLength || !sameGap) {
                return null;
            }
        }
        long whole = seg.stream().filter(a -> Math.abs(a[along + 2] - a[along] - length) < EPSILON).count();
        if (length <= 0 || gap <= 0 || whole < 2) {
            return null;
        }
        dash[0] = (float) length;
        dash[1] = (float) gap;
        double[] from = seg.get(0);
        double[] last = seg.get(seg.size() - 1);
        return new java.awt.geom.Line2D.Double(from[0], from[1], last[2], last[3]);
    }

    /** Points closer than this (px) are one point: the outlines XChart makes are in float. */
    private static final double EPSILON = 1e-3;

    private static boolean near(double[] a, double[] b) {
        return Math.abs(a[0] - b[0]) < EPSILON && Math.abs(a[1] - b[1]) < EPSILON;
    }

    /**
     * When {@code s} is made only of axis-aligned rectangles all of one thickness no more than
     * {@link #THIN} (all of one height, or all of one width), appends their centre lines to
     * {@code centres} and returns the thickness; otherwise returns 0. Rectangles of no area are
     * left out (they draw nothing).
     */
    static double thinRectangles(Shape s, Path2D centres) {
        List<double[]> rects = new ArrayList<>(); // minX, minY, maxX, maxY
        List<double[]> points = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = s.getPathIterator(null); !it.isDone(); it.next()) {
            switch (it.currentSegment(c)) {
                case PathIterator.SEG_MOVETO -> {
                    if (!points.isEmpty()) {
                        return 0; // a subpath left open
                    }
                    points.add(new double[] {c[0], c[1]});
                }
                case PathIterator.SEG_LINETO -> {
                    if (points.isEmpty()) {
                        return 0;
                    }
                    if (!near(points.get(points.size() - 1), c)) {
                        points.add(new double[] {c[0], c[1]});
                    }
                }
                case PathIterator.SEG_CLOSE -> {
                    double[] r = rectangle(points);
                    points.clear();
                    if (r == null) {
                        return 0;
                    }
                    if (r.length == 4) {
                        rects.add(r);
                    }
                }
                default -> {
                    return 0; // curves: not a rectangle
                }
            }
        }
        if (!points.isEmpty() || rects.isEmpty()) {
            return 0;
        }
        for (boolean horizontal : new boolean[] {true, false}) {
            double t = horizontal ? rects.get(0)[3] - rects.get(0)[1] : rects.get(0)[2] - rects.get(0)[0];
            boolean same = t <= THIN;
            for (double[] r : rects) {
                same &= Math.abs((horizontal ? r[3] - r[1] : r[2] - r[0]) - t) < EPSILON;
            }
            if (same) {
                for (double[] r : rects) {
                    if (horizontal) {
                        centres.moveTo(r[0], (r[1] + r[3]) / 2);
                        centres.lineTo(r[2], (r[1] + r[3]) / 2);
                    } else {
                        centres.moveTo((r[0] + r[2]) / 2, r[1]);
                        centres.lineTo((r[0] + r[2]) / 2, r[3]);
                    }
                }
                return t;
            }
        }
        return 0;
    }

    /**
     * A closed subpath's bounding box {minX, minY, maxX, maxY} when it is an axis-aligned
     * rectangle; an empty array when it has no area; null for any other shape.
     */
    private static double[] rectangle(List<double[]> p) {
        if (p.size() == 5 && near(p.get(4), p.get(0))) {
            p.remove(4);
        }
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] q : p) {
            minX = Math.min(minX, q[0]);
            maxX = Math.max(maxX, q[0]);
            minY = Math.min(minY, q[1]);
            maxY = Math.max(maxY, q[1]);
        }
        if (!p.isEmpty() && Math.min(maxX - minX, maxY - minY) < EPSILON) {
            return new double[0];
        }
        if (p.size() != 4) {
            return null;
        }
        for (int i = 0; i < 4; i++) { // each edge horizontal or vertical, each corner a bounding-box corner
            double[] a = p.get(i);
            double[] b = p.get((i + 1) % 4);
            boolean corner = (Math.abs(a[0] - minX) < EPSILON || Math.abs(a[0] - maxX) < EPSILON)
                    && (Math.abs(a[1] - minY) < EPSILON || Math.abs(a[1] - maxY) < EPSILON);
            if (!corner || (Math.abs(a[0] - b[0]) >= EPSILON && Math.abs(a[1] - b[1]) >= EPSILON)) {
                return null;
            }
        }
        return new double[] {minX, minY, maxX, maxY};
    }

    private static final Pattern PATH_DATA = Pattern.compile(" d=\"([^\"]*)\"");
    private static final Pattern LINE = Pattern.compile(
            "<line style=\"([^\"]*)\" x1=\"([-0-9.]+)\" x2=\"([-0-9.]+)\" y1=\"([-0-9.]+)\" y2=\"([-0-9.]+)\"/>");

    /** The SVG with its path data relative to 0.1 px, and runs of same-style lines merged into paths. */
    static String compact(String svg) {
        Matcher m = PATH_DATA.matcher(mergeLines(svg));
        StringBuilder out = new StringBuilder(svg.length() / 2);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(" d=\"" + relative(m.group(1)) + "\""));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Runs of {@code <line>} elements of one style, with only white space between, as one {@code <path>} each. */
    static String mergeLines(String svg) {
        Matcher m = LINE.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length());
        int copied = 0;
        String runStyle = null;
        StringBuilder d = new StringBuilder();
        double lastX = Double.NaN;
        double lastY = Double.NaN;
        while (m.find()) {
            boolean adjacent = runStyle != null && svg.substring(copied, m.start()).isBlank() && runStyle.equals(m.group(1));
            if (!adjacent) {
                if (runStyle != null) {
                    out.append(pathOf(runStyle, d));
                }
                out.append(svg, copied, m.start());
                runStyle = m.group(1);
                d.setLength(0);
                lastX = Double.NaN;
            }
            double x1 = Double.parseDouble(m.group(2));
            double x2 = Double.parseDouble(m.group(3));
            double y1 = Double.parseDouble(m.group(4));
            double y2 = Double.parseDouble(m.group(5));
            if (x1 != lastX || y1 != lastY) {
                d.append("M").append(m.group(2)).append(',').append(m.group(4)).append(' ');
            }
            d.append("L").append(m.group(3)).append(',').append(m.group(5)).append(' ');
            lastX = x2;
            lastY = y2;
            copied = m.end();
        }
        if (runStyle != null) {
            out.append(pathOf(runStyle, d));
        }
        out.append(svg, copied, svg.length());
        return out.toString();
    }

    private static String pathOf(String style, CharSequence d) {
        String s = style.contains("stroke-linecap:round") && !style.contains("stroke-linejoin") ? style + "stroke-linejoin:round;" : style;
        return "<path d=\"" + d.toString().trim() + "\" style=\"" + s + "\"/>";
    }

    /**
     * Absolute path data (M, L, Q, C, Z, as VectorGraphics2D writes it) as relative commands in
     * tenths of a pixel; other data is returned unchanged.
     */
    static String relative(String d) {
        Matcher t = Pattern.compile("[A-Za-z]|-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?").matcher(d);
        List<String> tokens = new ArrayList<>();
        while (t.find()) {
            tokens.add(t.group());
        }
        StringBuilder out = new StringBuilder(d.length() / 2);
        long cx = 0;
        long cy = 0;
        long sx = 0;
        long sy = 0;
        char cmd = 0;
        int i = 0;
        while (i < tokens.size()) {
            String tok = tokens.get(i);
            if (Character.isLetter(tok.charAt(0))) {
                cmd = tok.charAt(0);
                i++;
                if (cmd == 'Z') {
                    out.append('z');
                    cx = sx;
                    cy = sy;
                    continue;
                }
                if ("MLQC".indexOf(cmd) < 0) {
                    return d;
                }
            }
            int n = switch (cmd) {
                case 'M', 'L' -> 2;
                case 'Q' -> 4;
                case 'C' -> 6;
                default -> -1;
            };
            if (n < 0 || i + n > tokens.size()) {
                return d;
            }
            out.append(Character.toLowerCase(cmd));
            long x = 0;
            long y = 0;
            for (int k = 0; k < n; k += 2) {
                try {
                    x = Math.round(Double.parseDouble(tokens.get(i + k)) * 10);
                    y = Math.round(Double.parseDouble(tokens.get(i + k + 1)) * 10);
                } catch (NumberFormatException e) {
                    return d;
                }
                number(out, x - cx, k == 0);
                number(out, y - cy, false);
            }
            i += n;
            cx = x;
            cy = y;
            if (cmd == 'M') {
                sx = x;
                sy = y;
            }
        }
        return out.toString();
    }

    /** Appends {@code tenths}/10 as short as SVG allows ({@code .5}, {@code -1.2}, {@code 3}). */
    private static void number(StringBuilder out, long tenths, boolean first) {
        boolean negative = tenths < 0;
        long a = Math.abs(tenths);
        if (!first && !negative) {
            out.append(' ');
        }
        if (negative) {
            out.append('-');
        }
        if (a >= 10 || a == 0) {
            out.append(a / 10);
        }
        if (a % 10 != 0) {
            out.append('.').append(a % 10);
        }
    }
}
