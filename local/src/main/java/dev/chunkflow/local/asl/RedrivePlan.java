package dev.chunkflow.local.asl;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a redriven execution resumes (RedriveExecution): the top-level state that did not exit, with
 * the input it was entered with, the variables assigned before it, and, for a Map state, the
 * iterations (inline: item indexes) or child executions (distributed: batch indexes, same Map Run)
 * that already succeeded and are not run again.
 *
 * @param redriveCount   this attempt's {@code $$.Execution.RedriveCount} (1 for the first redrive)
 * @param startTime      the original {@code $$.Execution.StartTime}
 * @param lastEventId    the last event id of the history so far; the redrive's events follow it
 * @param state          the state to resume at; null to start over from StartAt with the execution input
 * @param stateInput     that state's input
 * @param variables      the top-level variables as they were
 * @param succeeded      per Map state name, the indexes that already succeeded
 * @param mapRunArns     per Distributed Map state name, the Map Run to continue
 */
public record RedrivePlan(int redriveCount, Instant startTime, long lastEventId, String state, JsonNode stateInput,
                          Map<String, JsonNode> variables, Map<String, Set<Integer>> succeeded,
                          Map<String, String> mapRunArns) {
}
