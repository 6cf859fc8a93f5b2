package dev.ringbench.benches.suite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Picks items (scenarios, competitors) by the names a user gives, as JMH picks benchmarks: each
 * name is a regular expression found anywhere in an item's names ({@code Matcher.find}), so
 * {@code AGRONA} selects both Agrona competitors and {@code ^throughput$} one scenario. Unlike
 * JMH, matching ignores case, and a name equal to one of an item's names selects that item only
 * ({@code nmi} does not also select a scenario whose name contains "nmi"). A name that selects
 * nothing, or is no valid expression, is {@link BadInput} listing the valid names.
 */
public final class Selection {
    private Selection() {
    }

    /**
     * The items {@code patterns} select, in {@code all}'s order, each once.
     *
     * @param what  what the items are, for the message ("scenario")
     * @param names an item's names (its first is the one listed as valid)
     */
    public static <T> List<T> select(String what, Collection<String> patterns, List<T> all, Function<T, List<String>> names) {
        Set<T> chosen = new LinkedHashSet<>();
        for (String p : patterns) {
            List<T> exact = all.stream().filter(t -> names.apply(t).stream().anyMatch(n -> n.equalsIgnoreCase(p))).toList();
            if (!exact.isEmpty()) {
                chosen.addAll(exact);
                continue;
            }
            Pattern regex;
            try {
                regex = Pattern.compile(p, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new BadInput("'" + p + "' is neither a " + what + " nor a valid regular expression ("
                        + e.getDescription() + "); valid: " + valid(all, names));
            }
            List<T> found = all.stream().filter(t -> names.apply(t).stream().anyMatch(n -> regex.matcher(n).find())).toList();
            if (found.isEmpty()) {
                throw new BadInput("no " + what + " matches '" + p + "'; valid: " + valid(all, names));
            }
            chosen.addAll(found);
        }
        // in all's order, whatever order the patterns came in
        List<T> ordered = new ArrayList<>(all);
        ordered.retainAll(chosen);
        return ordered;
    }

    /**
     * The constant of {@code type} named exactly {@code value} (as JMH's {@code @Param} needs it).
     *
     * @param option how the value was given, for the message ("-p channel=")
     */
    public static <E extends Enum<E>> E exactly(String what, String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        throw new BadInput("unknown " + what + " '" + option + value + "'; valid: "
                + valid(List.of(type.getEnumConstants()), e -> List.of(e.name())));
    }

    private static <T> String valid(List<T> all, Function<T, List<String>> names) {
        return String.join(", ", all.stream().map(t -> names.apply(t).get(0)).toList());
    }
}
