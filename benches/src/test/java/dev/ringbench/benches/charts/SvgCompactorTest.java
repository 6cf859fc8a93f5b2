package dev.ringbench.benches.charts;

import org.junit.jupiter.api.Test;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The SVG compaction draws the same picture in fewer bytes. */
class SvgCompactorTest {
    /** XChart's grid line: a dashed stroke it turns into one filled rectangle per dash. */
    private static Shape dashedGridLine(double x0, double x1, double y) {
        return new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL, 10f, new float[] {3f, 5f}, 0f)
                .createStrokedShape(new Line2D.Double(x0, y, x1, y));
    }

    @Test
    void dashesBecomeOneDashedLine() {
        Path2D centres = new Path2D.Double();
        assertEquals(1.0, SvgCompactor.thinRectangles(dashedGridLine(97.13, 757.2, 530.42), centres), 1e-6);
        float[] dash = new float[2];
        Path2D lead = new Path2D.Double();
        Line2D line = SvgCompactor.dashedLine(centres, dash, lead);
        assertNull(lead.getCurrentPoint());
        assertNotNull(line);
        assertEquals(3f, dash[0], 1e-4);
        assertEquals(5f, dash[1], 1e-4);
        assertEquals(97.13, line.getX1(), 1e-4);
        assertEquals(530.42, line.getY1(), 1e-4);
        assertEquals(530.42, line.getY2(), 1e-4);
        assertEquals(756.13, line.getX2(), 1e-4); // the last whole dash: 97.13 + 82 periods of 8 + 3
    }

    @Test
    void aShortFirstDashIsDrawnOnItsOwn() {
        Shape s = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL, 10f, new float[] {3f, 5f}, 2.5f)
                .createStrokedShape(new Line2D.Double(10, 20, 100, 20)); // phase 2.5: the first dash is 0.5 long
        Path2D centres = new Path2D.Double();
        assertEquals(1.0, SvgCompactor.thinRectangles(s, centres), 1e-6);
        Path2D lead = new Path2D.Double();
        Line2D line = SvgCompactor.dashedLine(centres, new float[2], lead);
        assertNotNull(line);
        assertEquals(new java.awt.geom.Point2D.Double(10.5, 20), lead.getCurrentPoint());
        assertEquals(15.5, line.getX1(), 1e-4); // the first whole dash: after the 0.5 and a gap of 5
    }

    @Test
    void otherFillsStayFills() {
        assertEquals(0, SvgCompactor.thinRectangles(new Rectangle2D.Double(10, 10, 30, 200), new Path2D.Double()));
        assertEquals(0, SvgCompactor.thinRectangles(new java.awt.geom.Ellipse2D.Double(0, 0, 1, 1), new Path2D.Double()));
        Path2D two = new Path2D.Double();
        two.append(new Rectangle2D.Double(0, 0, 10, 1), false);
        two.append(new Rectangle2D.Double(0, 5, 10, 2), false); // two thicknesses
        assertEquals(0, SvgCompactor.thinRectangles(two, new Path2D.Double()));
        Path2D unequal = new Path2D.Double();
        unequal.moveTo(0, 0);
        unequal.lineTo(3, 0);
        unequal.moveTo(8, 0);
        unequal.lineTo(20, 0);
        unequal.moveTo(25, 0);
        unequal.lineTo(28, 0);
        assertNull(SvgCompactor.dashedLine(unequal, new float[2], new Path2D.Double()));
    }

    @Test
    void relativePathDataIsTheSameShapeToATenthOfAPixel() {
        String d = "M97.13,529.92 L100.16,529.92 Q101.04,531.96 99.99,533.01 C1.5,2.5 3.25,-4.75 6,7 Z M5,5 L6.04,5.96 Z";
        String r = SvgCompactor.relative(d);
        // tenths, rounded in absolute terms: (971,5299) (1002,5299) (1010,5320) (1000,5330) ... (60,70);
        // after z the current point is the subpath's start again (971,5299)
        assertEquals("m97.1 529.9l3.1 0q.8 2.1-.2 3.1c-98.5-530.5-96.7-537.7-94-526z"
                + "m-92.1-524.9l1 1z", r);
    }

    @Test
    void linesOfOneStyleBecomeOnePath() {
        String svg = "<g>\n<line style=\"stroke:red;stroke-linecap:round;\" x1=\"0\" x2=\"1.5\" y1=\"0\" y2=\"2\"/>\n"
                + "<line style=\"stroke:red;stroke-linecap:round;\" x1=\"1.5\" x2=\"3\" y1=\"2\" y2=\"2\"/>\n"
                + "<line style=\"stroke:blue;\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\"/></g>";
        assertEquals("<g>\n<path d=\"M0,0 L1.5,2 L3,2\" style=\"stroke:red;stroke-linecap:round;stroke-linejoin:round;\"/>"
                + "\n<path d=\"M0,0 L1,0\" style=\"stroke:blue;\"/></g>", SvgCompactor.mergeLines(svg));
    }
}
