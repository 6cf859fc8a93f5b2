package dev.ringbench.benches.charts;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a chart as {@code <name>.png} and {@code <name>.svg}, the chart above and a caption
 * below it (the run's machine, JDK, date and commit, then the chart's notes). The SVG also carries
 * the title and the series names as {@code <title>} and {@code <desc>} (XChart draws its own text as
 * outlines; {@link SvgCompactor} keeps the file small). Nothing time-dependent goes into either
 * file: the same chart gives the same bytes.
 */
final class ChartWriter {
    static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final int LINE_HEIGHT = 17;
    private static final int MARGIN = 14;
    private static final Color CAPTION_COLOR = new Color(0x404040);

    private final Path dir;

    ChartWriter(Path dir) {
        this.dir = dir;
    }

    /** Writes both files; returns the PNG's path. */
    Path write(Drawn d, List<String> caption) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = wrap(caption, Style.WIDTH - 2 * MARGIN);
        int height = Style.HEIGHT + captionHeight(lines);
        Path png = dir.resolve(d.name() + ".png");
        BufferedImage img = new BufferedImage(Style.WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            paint(g, d, lines, height);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream pngBytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", pngBytes)) {
            throw new IOException("no PNG writer");
        }
        Files.write(png, pngBytes.toByteArray());

        VectorGraphics2D vg = new SvgCompactor.Graphics();
        paint(vg, d, lines, height);
        Document doc = new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, Style.WIDTH, height));
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        doc.writeTo(svg);
        Files.writeString(dir.resolve(d.name() + ".svg"), describe(SvgCompactor.compact(svg.toString(StandardCharsets.UTF_8)), d, caption),
                StandardCharsets.UTF_8);
        return png;
    }

    private static int captionHeight(List<String> lines) {
        return lines.isEmpty() ? 0 : MARGIN + lines.size() * LINE_HEIGHT;
    }

    private static void paint(Graphics2D g, Drawn d, List<String> lines, int height) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, Style.WIDTH, height);
        d.chart().paint(g, Style.WIDTH, Style.HEIGHT);
        g.setTransform(new AffineTransform());
        g.setClip(null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0xD8D8D8));
        g.setStroke(new BasicStroke(1f));
        g.drawLine(MARGIN, Style.HEIGHT, Style.WIDTH - MARGIN, Style.HEIGHT);
        g.setColor(CAPTION_COLOR);
        g.setFont(CAPTION_FONT);
        int y = Style.HEIGHT + MARGIN + 4;
        for (String line : lines) {
            g.drawString(line, MARGIN, y);
            y += LINE_HEIGHT;
        }
    }

    /** Word-wraps caption paragraphs to a pixel width, with the caption font's metrics. */
    static List<String> wrap(List<String> paragraphs, int width) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            FontMetrics fm = g.getFontMetrics(CAPTION_FONT);
            List<String> out = new ArrayList<>();
            for (String p : paragraphs) {
                StringBuilder line = new StringBuilder();
                for (String word : p.split(" ")) {
                    String candidate = line.isEmpty() ? word : line + " " + word;
                    if (fm.stringWidth(candidate) > width && !line.isEmpty()) {
                        out.add(line.toString());
                        line = new StringBuilder(word);
                    } else {
                        line = new StringBuilder(candidate);
                    }
                }
                if (!line.isEmpty()) {
                    out.add(line.toString());
                }
            }
            return out;
        } finally {
            g.dispose();
        }
    }

    /** Adds {@code <title>} and {@code <desc>} (series and caption) after the SVG's root element opens. */
    static String describe(String svg, Drawn d, List<String> caption) {
        int root = svg.indexOf("<svg");
        int end = root < 0 ? -1 : svg.indexOf('>', root);
        if (end < 0) {
            return svg;
        }
        String meta = "\n  <title>" + xml(d.title()) + "</title>\n  <desc>Series: " + xml(String.join("; ", d.series()))
                + ".\n" + xml(String.join("\n", caption)) + "</desc>";
        return roundCoordinates(svg.substring(0, end + 1) + meta + svg.substring(end + 1));
    }

    private static final java.util.Set<String> GEOMETRY = java.util.Set.of("d", "x", "y", "width", "height", "x1", "y1",
            "x2", "y2", "cx", "cy", "r", "rx", "ry", "points", "transform");

    /**
     * Rounds coordinates in geometry attributes to two decimals (1/100 px): XChart draws all its
     * text as glyph outlines, and the full precision makes each SVG about 40 % larger for no
     * visible difference. Text content ({@code <title>}, {@code <desc>}, caption) is untouched.
     */
    static String roundCoordinates(String svg) {
        StringBuilder out = new StringBuilder(svg.length());
        int n = svg.length();
        boolean inGeometry = false;
        int i = 0;
        while (i < n) {
            char c = svg.charAt(i);
            if (!inGeometry) {
                out.append(c);
                i++;
                if (c == '"' && i >= 2 && svg.charAt(i - 2) == '=' && GEOMETRY.contains(attributeName(svg, i - 2))) {
                    inGeometry = true;
                }
                continue;
            }
            if (c == '"') {
                inGeometry = false;
                out.append(c);
                i++;
                continue;
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                int j = c == '-' ? i + 1 : i;
                while (j < n && Character.isDigit(svg.charAt(j))) {
                    j++;
                }
                int decimals = 0;
                if (j < n && svg.charAt(j) == '.') {
                    j++;
                    while (j < n && Character.isDigit(svg.charAt(j))) {
                        j++;
                        decimals++;
                    }
                }
                String number = svg.substring(i, j);
                if (decimals >= 3) {
                    String r = new BigDecimal(number).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
                    out.append(r.equals("-0") ? "0" : r);
                } else {
                    out.append(number);
                }
                i = j;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The attribute name that ends just before the {@code =} at {@code eq}. */
    private static String attributeName(String s, int eq) {
        int start = eq;
        while (start > 0 && Character.isLetterOrDigit(s.charAt(start - 1))) {
            start--;
        }
        return start > 0 && Character.isWhitespace(s.charAt(start - 1)) ? s.substring(start, eq) : "";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
