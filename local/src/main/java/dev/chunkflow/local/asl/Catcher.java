package dev.chunkflow.local.asl;

import java.util.List;

/**
 * One entry of a state's Catch list. JSONPath: {@code resultPath} null means discard (ResultPath: null).
 * JSONata: {@code output} shapes the state output from {@code $states.errorOutput} (null: the error output).
 * {@code assign} (either language) assigns variables in the state's scope.
 */
record Catcher(List<String> errorEquals, String next, String resultPath, boolean resultPathNull,
               JsonataTemplate output, Assign assign) {
    boolean matches(String error) {
        return ErrorMatch.matches(errorEquals, error);
    }
}
