package dev.rtm.cli.nab;

import dev.rtm.host.sink.NabSeries;
import dev.rtm.cli.report.LabelWindows;
import java.util.ArrayList;
import java.util.List;

/**
 * NAB's scoring of one detector, as NAB's {@code run.py --optimize --score --normalize} computes it
 * (NAB commit ea702d7, {@code nab/sweeper.py}, {@code optimizer.py}, {@code scorer.py},
 * {@code runner.py}):
 * <ol>
 *   <li>each file's rows after the probation period get a sweep score from their place relative to
 *       the label windows ({@link FileSweep});</li>
 *   <li>per profile, the threshold that maximises the summed score of all files is chosen
 *       ({@link ThresholdSweep}, the first of equal maxima from the top);</li>
 *   <li>each file is scored at that threshold and the files' scores are summed;</li>
 *   <li>the sum is normalised against the null detector (constant 0.5, run through the same three
 *       steps) and the perfect score (every window: {@code windows × tpWeight}):
 *       {@code 100 · (raw - null) / (perfect - null)}.</li>
 * </ol>
 * Windows counted for "perfect" are those of the files scored (NAB counts every window of its label
 * file; the same when, as NAB expects, every labelled file has results).
 */
public final class NabScorer {

    private final LabelWindows labels;

    /** @param labels NAB's {@code combined_windows.json} */
    public NabScorer(LabelWindows labels) {
        this.labels = labels;
    }

    /**
     * Scores one detector's results under NAB's three profiles.
     *
     * @param results one entry per data file; files without an entry in the labels are skipped and named
     * @throws IllegalArgumentException if a label window's timestamps are not timestamps of its file
     */
    public DetectorScore score(String detector, List<NabSeries> results, long points, long nanosInPlugin) {
        List<NabSeries> scored = new ArrayList<>();
        List<NabSeries> nulls = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (NabSeries s : results) {
            if (labels.has(s.file())) {
                scored.add(s);
                nulls.add(s.constant(0.5));
            } else {
                skipped.add(s.file());
            }
        }
        List<ProfileScore> out = new ArrayList<>();
        for (Profile p : Profile.NAB) {
            Run run = run(scored, p);
            Run nul = run(nulls, p);
            List<FileScore> files = new ArrayList<>();
            double raw = 0;
            double nullRaw = 0;
            int windows = 0;
            for (int i = 0; i < scored.size(); i++) {
                ThresholdScore f = run.fileScores.get(i);
                double nf = nul.fileScores.get(i).score();
                int w = labels.of(scored.get(i).file()).size();
                files.add(new FileScore(scored.get(i).file(), w, f.score(), nf, f.tp(), f.tn(), f.fp(), f.fn()));
                raw += f.score();
                nullRaw += nf;
                windows += w;
            }
            out.add(new ProfileScore(p, run.threshold, raw, nullRaw, windows * p.tpWeight(), files));
        }
        return new DetectorScore(detector, out, points, nanosInPlugin, skipped);
    }

    private record Run(double threshold, List<ThresholdScore> fileScores) {
    }

    private Run run(List<NabSeries> series, Profile p) {
        List<FileSweep> sweeps = new ArrayList<>();
        int windowId = 0;
        for (NabSeries s : series) {
            List<long[]> ws = labels.of(s.file());
            sweeps.add(FileSweep.of(s, ws, windowId, p));
            windowId += ws.size();
        }
        double threshold = ThresholdSweep.best(ThresholdSweep.of(sweeps, windowId, p)).threshold();
        List<ThresholdScore> perFile = new ArrayList<>();
        for (FileSweep f : sweeps) {
            perFile.add(ThresholdSweep.at(ThresholdSweep.of(List.of(f), windowId, p), threshold));
        }
        return new Run(threshold, perFile);
    }
}
