package dev.rtm.cli.nab;

/**
 * One file's raw NAB score at the corpus threshold, with the null detector's on the same file.
 *
 * @param file {@code category/name.csv}
 * @param windows label windows in the file
 * @param score raw score: window parts (about +1 for a window caught at its start, -fnWeight for
 *        one missed) plus the false positives' (negative) part
 * @param nullScore the null detector's raw score on the file
 * @param tp detected rows inside windows (after probation)
 * @param fp detected rows outside windows
 * @param fn undetected rows inside windows
 */
public record FileScore(String file, int windows, double score, double nullScore, int tp, int tn, int fp, int fn) {

    /** The NAB category: the file's folder. */
    public String category() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }
}
