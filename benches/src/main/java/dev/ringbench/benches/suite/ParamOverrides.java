package dev.ringbench.benches.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run -p NAME=V1,V2}: JMH's {@code -p}, the values of a benchmark {@code @Param} replacing
 * the preset's in every chosen scenario that has that parameter. Checked before anything runs:
 * the name must be a parameter of a chosen scenario and each value must fit its type.
 * {@code channel} is chosen with {@code --competitors} instead (one way to pick competitors); in a
 * scenario that sweeps producer counts, {@code producers} sets the counts swept.
 */
public final class ParamOverrides {
    private ParamOverrides() {
    }

    /**
     * Parses and checks {@code NAME=VALUES} arguments.
     *
     * @return name to comma-separated values, in the order given (a repeated name: the last)
     * @throws BadInput naming the argument and what is valid
     */
    public static Map<String, String> parse(List<String> raw, List<Scenario> scenarios) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String r : raw) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new BadInput("-p " + r + ": expected NAME=VALUE[,VALUE...], e.g. -p payload=8,64");
            }
            String name = r.substring(0, eq);
            String values = r.substring(eq + 1);
            if (name.equals("channel")) {
                throw new BadInput("-p " + r + ": choose competitors with --competitors " + values);
            }
            List<Scenario> having = scenarios.stream().filter(s -> s.paramNames().contains(name)).toList();
            if (having.isEmpty()) {
                throw new BadInput("-p " + r + ": no parameter '" + name + "' in " + ids(scenarios)
                        + "; their parameters: " + describe(scenarios));
            }
            for (String v : values.split(",", -1)) {
                for (Scenario s : having) {
                    String wrong = s.checkParamValue(name, v);
                    if (wrong != null) {
                        throw new BadInput("-p " + r + ": '" + v + "' " + wrong + " (" + s.id() + "'s " + name + ")");
                    }
                }
            }
            out.put(name, values);
        }
        return out;
    }

    private static String ids(List<Scenario> scenarios) {
        return scenarios.size() == Scenario.values().size() ? "any scenario"
                : String.join(", ", scenarios.stream().map(Scenario::id).toList());
    }

    private static String describe(List<Scenario> scenarios) {
        List<String> each = new ArrayList<>();
        for (Scenario s : scenarios) {
            List<String> names = s.paramNames().stream().filter(n -> !n.equals("channel")).toList();
            each.add(s.id() + " " + (names.isEmpty() ? "none" : String.join(",", names)));
        }
        return String.join("; ", each);
    }
}
