package dev.ringbench.benches.charts;

import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * Colours and line styles. A competitor has the same colour in every chart: the colour is chosen
 * by its kind name's position in {@link Kinds#NAMES} from a fixed list (new kinds are appended
 * there, so existing colours stay). Variants of one competitor within a chart (a lock era, an API, a
 * notification strategy) keep its colour and differ by line style and marker (lines) or by shade
 * (bars).
 */
final class Palette {
    /** By position in {@link Kinds#NAMES}; after the list, colours are generated (golden-angle hues). */
    private static final Color[] KINDS = {
            new Color(0x1F77B4), // BPF_RINGBUF_LIBBPF: blue
            new Color(0x17BECF), // BPF_RINGBUF_BATCHED: cyan
            new Color(0xFF7F0E), // PERFBUF: orange
            new Color(0x2CA02C), // DISRUPTOR_BLOCKING: green
            new Color(0x98C94B), // DISRUPTOR_LITE_BLOCKING: yellow-green
            new Color(0xBCBD22), // DISRUPTOR_SLEEPING: olive
            new Color(0x8C564B), // DISRUPTOR_YIELDING: brown
            new Color(0xE377C2), // DISRUPTOR_BUSYSPIN: pink
            new Color(0xD62728), // JCTOOLS_MPSC: red
            new Color(0xFF9896), // JCTOOLS_MPSC_BLOCKING: salmon
            new Color(0x9467BD), // AGRONA_MANY_TO_ONE: purple
            new Color(0xC5B0D5), // AGRONA_ONE_TO_ONE: lavender
            new Color(0x393B79), // KERNEL_RINGBUF_LIBBPF: navy
            new Color(0x7F7F7F), // KERNEL_RINGBUF_BATCHED: grey
            new Color(0x637939), // KERNEL_PERFBUF
            new Color(0x8C6D31),
            new Color(0x843C39),
            new Color(0x7B4173),
    };
    /** For a channel name that is not in {@link Kinds#NAMES}. */
    private static final Color UNKNOWN = new Color(0x404040);

    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
            SeriesLines.DASH_DOT, new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10.0f,
            new float[] {12.0f, 3.0f, 3.0f, 3.0f, 3.0f, 3.0f}, 0.0f)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

    private Palette() {
    }

    /** The colour of a competitor, by its kind name; {@link #UNKNOWN} grey for a name that is no kind. */
    static Color of(String channel) {
        int i = Kinds.index(channel);
        if (i < 0) {
            return UNKNOWN;
        }
        if (i < KINDS.length) {
            return KINDS[i];
        }
        float hue = (float) ((i * 0.618033988749895) % 1.0);
        return Color.getHSBColor(hue, 0.65f, 0.75f);
    }

    /** The colour of a kind given as an enum constant: that of its {@link Enum#name() name}. */
    static Color of(Enum<?> kind) {
        return of(kind.name());
    }

    /** The shade of variant {@code v} of a colour (bars): 0 as is, then lighter, darker, lighter... */
    static Color shade(Color c, int v) {
        if (v == 0) {
            return c;
        }
        double f = 0.28 * ((v + 1) / 2);
        if (v % 2 == 1) { // lighter: towards white
            return new Color(mix(c.getRed(), 255, f), mix(c.getGreen(), 255, f), mix(c.getBlue(), 255, f));
        }
        return new Color(mix(c.getRed(), 0, f), mix(c.getGreen(), 0, f), mix(c.getBlue(), 0, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * Math.min(f, 0.85));
    }

    /** The line style of variant {@code v}. */
    static BasicStroke line(int v) {
        return LINES[v % LINES.length];
    }

    /** The marker of variant {@code v}. */
    static Marker marker(int v) {
        return MARKERS[v % MARKERS.length];
    }
}
