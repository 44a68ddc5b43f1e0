package dev.rtm.render;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Grafana's classic palette, one colour per series name across a whole dashboard: the first word
 * of a name picks it ({@code ewma}, {@code ewma lower}, {@code ewma upper} share one), and a band's
 * lower and upper lines are drawn darker.
 */
final class SeriesColors {

    private static final Color[] PALETTE = {
        new Color(0x73bf69), new Color(0xf2cc0c), new Color(0x5794f2), new Color(0xff780a),
        new Color(0xf2495c), new Color(0xb877d9), new Color(0x8ab8ff), new Color(0x96d98d)};

    private final Map<String, Integer> assigned = new LinkedHashMap<>();

    Color of(String name) {
        String key = name.split(" ")[0];
        Integer i = assigned.get(key);
        if (i == null) {
            i = assigned.size();
            assigned.put(key, i);
        }
        Color base = PALETTE[i % PALETTE.length];
        return name.endsWith(" lower") || name.endsWith(" upper") ? base.darker() : base;
    }
}
