package dev.chunkflow.local.asl;

import java.util.List;

/** One entry of a state's Catch list. {@code resultPath} null means discard (ResultPath: null). */
record Catcher(List<String> errorEquals, String next, String resultPath, boolean resultPathNull) {
    boolean matches(String error) {
        return ErrorMatch.matches(errorEquals, error);
    }
}
