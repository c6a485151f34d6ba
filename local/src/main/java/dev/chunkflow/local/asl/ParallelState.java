package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

final class ParallelState extends State {
    final List<StatesBlock> branches = new ArrayList<>();

    ParallelState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, true, true, true, true);
        Fields f = new Fields(name, def);
        JsonNode list = def.get("Branches");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw f.error("Branches", "must be a non-empty array of state machines");
        }
        for (int i = 0; i < list.size(); i++) {
            branches.add(StatesBlock.parse(list.get(i), "state '" + name + "' Branches[" + i + "]", inherited));
        }
    }

    @Override
    List<StatesBlock> innerBlocks() {
        return branches;
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        return in.withErrorHandling(run, raw, (r, args) -> runBranches(in, r, args));
    }

    private JsonNode runBranches(Interpreter in, Interpreter.StateRun run, JsonNode args) {
        Scope scope = run.scope;
        scope.event("ParallelStateStarted", null);
        JsonNode[] results = new JsonNode[branches.size()];
        try {
            Group.run(in.env().pool(), results.length, results.length, scope,
                    (i, branchScope) -> results[i] = in.runBlock(branches.get(i), args, branchScope));
        } catch (StatesFailure f) {
            Interpreter.quietEvent(scope, "ParallelStateFailed", null);
            throw f;
        }
        scope.lastEventId = scope.ex.history.count();
        scope.event("ParallelStateSucceeded", null);
        ArrayNode out = AslJson.NODES.arrayNode();
        for (JsonNode r : results) {
            out.add(r);
        }
        return out;
    }
}
