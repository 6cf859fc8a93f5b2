package dev.ringbench.benches.charts;

import java.util.List;
import java.util.Locale;

/**
 * Rules for y axes shared by the chart builders: scaling large rates to thousands, millions or
 * billions, where a linear axis ends when error bars are long, when a log axis labels decades
 * only, and how a value is written in a message. Pure functions.
 */
final class Axes {
    /** The caption's note when {@link #axisTop} cut an error bar. */
    static final String CUT_ERRORS = "Error bars that would reach beyond 1.5 times the largest value are cut "
            + "at the top of the plot (no cap).";

    private Axes() {
    }

    /**
     * The divisor of a y quantity's values: 1 unless the spec asks for auto scaling, then 1e3, 1e6 or
     * 1e9 by the largest absolute value (1e3 from 1e4 up, so that 1,000 to 9,999 stay as they are).
     */
    static double divisor(ChartSpec spec, List<PointReader.Point> points) {
        if (!spec.y.autoScale()) {
            return 1;
        }
        double max = 0;
        for (PointReader.Point p : points) {
            max = Math.max(max, Math.abs(p.value()));
        }
        return max >= 1e9 ? 1e9 : max >= 1e6 ? 1e6 : max >= 1e4 ? 1e3 : 1;
    }

    /**
     * The top of a linear y axis: the largest error bar's top, but no more than 1.5 times the largest
     * value (JMH's 99.9 % interval over three iterations can be many times the score; the values
     * should stay readable).
     */
    static double axisTop(double dataMax, double errTop) {
        return Math.max(dataMax, Math.min(errTop, dataMax * 1.5));
    }

    /** Log axes label only 1, 10, 100... when the data spans a factor of 20 or more (else 2..9 too, which crowd). */
    static boolean decadesOnly(double min, double max) {
        return min > 0 && max / min >= 20;
    }

    /** A value for a message: whole numbers and values from 100 up without decimals, others to 3 digits. */
    static String fmt(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 || v == Math.rint(v) ? "%,.0f" : "%.3g", v);
    }
}
