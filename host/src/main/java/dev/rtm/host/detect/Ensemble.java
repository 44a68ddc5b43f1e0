package dev.rtm.host.detect;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The built-in detector type {@code ensemble}: one model row per point combining the calibrated
 * scores its member detectors gave the same point.
 *
 * <pre>{@code
 * detectors:
 *   ensemble: { type: ensemble, members: [ewma, arima, rcf], combine: mean }
 * }</pre>
 *
 * <p>Each member's score is normalised to {@code p = score / (score + threshold)}, so 0.5 is every
 * member's own flag line whatever its scale. The combined p is the largest ({@code max}), the
 * average ({@code mean}), the weighted average ({@code weighted}, {@code weights} one per member) or
 * the {@code votes}-th largest ({@code vote}: at the flag line exactly when that many members are).
 * The ensemble's score is {@code p / (1 − p)} with threshold 1, so its own normalised score is p
 * again and it flags when the combined p reaches 0.5. Its expected value and band are those of the
 * member with the largest p. A member that gave the point no row (it failed) is left out of that
 * point's combination.
 *
 * <p>It is a host feature, not a plugin: a plugin lives in its own class loader and sees neither
 * other plugins' detectors nor their results, while the host runs every member anyway, so the
 * ensemble reuses the rows the members have just produced and costs almost nothing. It is
 * stateless: restarts need no state of its own, and the members' refractory periods already keep
 * a member from flagging the same event again.
 */
public final class Ensemble {

    /** The {@code type:} that makes a detector section an ensemble. */
    public static final String TYPE = "ensemble";
    /** The ensemble's threshold: its score is the odds p / (1 - p), 1 at the flag line. */
    public static final double THRESHOLD = 1.0;

    /** How the members' normalised scores combine. */
    public enum Combine {
        /** The largest: flags when any member does. */
        MAX,
        /** The average. */
        MEAN,
        /** The weighted average, one weight per member. */
        WEIGHTED,
        /** The votes-th largest: flags when at least {@code votes} members do. */
        VOTE;

        /** The config spelling. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final ConfigKey<String> MEMBERS = ConfigKey.string("members", null,
            "detector instances combined, a list, e.g. [ewma, arima, rcf]");
    static final ConfigKey<String> COMBINE = ConfigKey.choice("combine", "max",
            List.of("max", "mean", "weighted", "vote"), "how the members' normalised scores combine");
    static final ConfigKey<String> WEIGHTS = ConfigKey.string("weights", "",
            "combine: weighted: one weight per member, a list, e.g. [2, 1, 1]");
    static final ConfigKey<Integer> VOTES = ConfigKey.integer("votes", 2,
            "combine: vote: members that must be at their flag line").atLeast(1);
    /** The keys of an ensemble section besides {@code type}. */
    public static final ConfigSpec SPEC = ConfigSpec.of(MEMBERS, COMBINE, WEIGHTS, VOTES);

    private final List<ConfiguredDetector> members;
    private final Combine combine;
    private final double[] weights;
    private final int votes;

    Ensemble(List<ConfiguredDetector> members, Combine combine, double[] weights, int votes) {
        this.members = List.copyOf(members);
        this.combine = combine;
        this.weights = weights.clone();
        this.votes = votes;
    }

    /**
     * Validates an ensemble section.
     *
     * @param name the section's name
     * @param raw its keys besides {@code type} (lists as YAML gives them)
     * @param resolve finds a member by name (configured instance or plugin)
     * @param ensembles the names of every ensemble section, which cannot be members
     * @throws ConfigException naming every bad key
     */
    static Settings validate(String name, Map<String, Object> raw, Function<String, Optional<ConfiguredDetector>> resolve,
                             Set<String> ensembles, String available) throws ConfigException {
        Map<String, Object> flat = new LinkedHashMap<>(raw);
        for (ConfigKey<?> listKey : List.of(MEMBERS, WEIGHTS)) {
            if (flat.get(listKey.name()) instanceof List<?> l) {
                flat.put(listKey.name(), String.join(", ", l.stream().map(String::valueOf).toList()));
            }
        }
        Settings s = SPEC.validate(flat);
        List<ConfigException.Problem> problems = new ArrayList<>();
        List<String> names = split(s.get(MEMBERS));
        Set<String> seen = new HashSet<>();
        for (String m : names) {
            if (m.equals(name)) {
                problems.add(new ConfigException.Problem("members", "'" + m + "' is this ensemble itself"));
            } else if (ensembles.contains(m)) {
                problems.add(new ConfigException.Problem("members", "'" + m + "' is an ensemble; ensembles do not nest"));
            } else if (!seen.add(m)) {
                problems.add(new ConfigException.Problem("members", "'" + m + "' is listed twice"));
            } else if (resolve.apply(m).isEmpty()) {
                problems.add(new ConfigException.Problem("members", "unknown detector '" + m + "'; available: " + available));
            }
        }
        if (names.size() < 2) {
            problems.add(new ConfigException.Problem("members", "an ensemble needs at least two members, e.g. [ewma, rcf]"));
        }
        String combine = s.get(COMBINE);
        List<String> w = split(s.get(WEIGHTS));
        if (combine.equals("weighted")) {
            if (w.size() != names.size()) {
                problems.add(new ConfigException.Problem("weights", w.size() + " weights for " + names.size()
                        + " members: give one weight per member, in the order of members"));
            }
            for (String v : w) {
                try {
                    double d = Double.parseDouble(v);
                    if (!(d >= 0) || Double.isInfinite(d)) {
                        problems.add(new ConfigException.Problem("weights", "'" + v + "' is not a finite number >= 0"));
                    }
                } catch (NumberFormatException e) {
                    problems.add(new ConfigException.Problem("weights", "'" + v + "' is not a number"));
                }
            }
        } else if (!w.isEmpty()) {
            problems.add(new ConfigException.Problem("weights", "only used with combine: weighted (combine is " + combine + ")"));
        }
        if (combine.equals("vote") && s.get(VOTES) > names.size()) {
            problems.add(new ConfigException.Problem("votes", s.get(VOTES) + " votes of " + names.size() + " members can never be reached"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return s;
    }

    /** Builds a validated ensemble (see {@link #validate}). */
    static Ensemble of(Settings s, Function<String, Optional<ConfiguredDetector>> resolve) {
        List<ConfiguredDetector> ms = split(s.get(MEMBERS)).stream().map(m -> resolve.apply(m).orElseThrow()).toList();
        Combine c = Combine.valueOf(s.get(COMBINE).toUpperCase(Locale.ROOT));
        double[] w = c == Combine.WEIGHTED ? split(s.get(WEIGHTS)).stream().mapToDouble(Double::parseDouble).toArray()
                : new double[0];
        return new Ensemble(ms, c, w, s.get(VOTES));
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** The members, in config order. */
    public List<ConfiguredDetector> members() {
        return members;
    }

    /** The combination rule. */
    public Combine combine() {
        return combine;
    }

    /**
     * Combines normalised member scores of one point.
     *
     * @param p each member's {@code score / (score + threshold)}, in member order; NaN where the
     *        member gave the point no row
     * @return the combined normalised score in [0, 1), or NaN when no member gave a row
     */
    public double combine(double[] p) {
        double sum = 0;
        double weight = 0;
        double max = Double.NaN;
        double[] present = new double[p.length];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            if (Double.isNaN(p[i])) {
                continue;
            }
            present[k++] = p[i];
            max = Double.isNaN(max) ? p[i] : Math.max(max, p[i]);
            double w = combine == Combine.WEIGHTED ? weights[i] : 1;
            sum += w * p[i];
            weight += w;
        }
        if (k == 0) {
            return Double.NaN;
        }
        return switch (combine) {
            case MAX -> max;
            case MEAN, WEIGHTED -> weight > 0 ? sum / weight : 0;
            case VOTE -> {
                double[] sorted = Arrays.copyOf(present, k);
                Arrays.sort(sorted);
                int need = Math.min(votes, k); // a failed member does not make the vote impossible
                yield sorted[k - need];
            }
        };
    }

    /**
     * The ensemble's assessment of one point from its members' (null where a member gave no row),
     * in member order, or null when none gave one.
     */
    public Assessment assess(Assessment[] rows) {
        double[] p = new double[rows.length];
        int best = -1;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                p[i] = Double.NaN;
                continue;
            }
            double t = members.get(i).detector().threshold();
            double s = rows[i].score();
            p[i] = s / (s + t);
            if (best < 0 || p[i] > p[best]) {
                best = i;
            }
        }
        double c = combine(p);
        if (Double.isNaN(c)) {
            return null;
        }
        double score = c >= 1 ? Double.MAX_VALUE : c / (1 - c) * THRESHOLD;
        Assessment b = rows[best];
        return new Assessment(b.expected(), b.lower(), b.upper(), score, score >= THRESHOLD);
    }
}
