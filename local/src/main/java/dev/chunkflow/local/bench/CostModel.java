package dev.chunkflow.local.bench;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;

/**
 * Section 7: the AWS bill of a 10,000,000-row run, from this run's measurements (the throughput
 * section's durations, memory sizes and request counts, scaled by rows) and public us-east-1 prices.
 * A model, not an invoice: the formulas are printed next to the figures so anyone can redo them.
 */
final class CostModel implements BenchSection {
    static final long ROWS = 10_000_000;

    // Public us-east-1 list prices (checked 2026-12): aws.amazon.com/lambda/pricing, /step-functions/pricing,
    // /s3/pricing, /dynamodb/pricing/on-demand.
    static final double LAMBDA_GB_SECOND = 0.0000166667;   // x86_64
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    static final double SFN_STANDARD_TRANSITION = 0.025 / 1_000;
    static final double SFN_EXPRESS_REQUEST = 1.00 / 1_000_000;
    static final double SFN_EXPRESS_GB_SECOND = 0.00001667; // first 1,000 GB-hours a month; 64 MB minimum, 100 ms steps
    static final double S3_PUT_LIST = 0.005 / 1_000;
    static final double S3_GET = 0.0004 / 1_000;
    static final double DDB_WRITE_UNIT = 0.625 / 1_000_000;
    static final double DDB_READ_UNIT = 0.125 / 1_000_000;

    /** States entered on the success path of etl-pipeline.asl.json outside the Map iterations. */
    static final int PARENT_TRANSITIONS = 11;
    static final int BATCH_SIZE = 10;

    @Override
    public String key() {
        return "cost_model";
    }

    @Override
    public String title() {
        return "7. Cost model";
    }

    @Override
    public Result run(BenchContext ctx) {
        JsonNode t = ctx.earlier().get("throughput");
        if (t == null) {
            throw new IllegalStateException("cost_model is computed from the throughput section: run both (--only throughput,cost_model)");
        }
        long measuredRows = t.path("rows").asLong();
        double scale = (double) ROWS / measuredRows;
        long rowsPerChunk = t.path("process_chunk_alone").path("rows_per_chunk").asLong();
        long chunks = (ROWS + rowsPerChunk - 1) / rowsPerChunk;
        JsonNode fns = t.path("functions");

        // Lambda: ProcessChunk from its one-at-a-time duration per chunk; GetChunks and Summarize scale with rows;
        // StartJob and UpdateJob are per run.
        double pcMs = t.path("process_chunk_alone").path("median_ms").asDouble();
        ObjectNode lambda = Json.MAPPER.createObjectNode();
        double gbs = 0;
        long invocations = 0;
        gbs += addFunction(lambda, "ProcessChunkFunction", chunks, chunks * pcMs, mem(fns, "ProcessChunkFunction"));
        invocations += chunks;
        for (String fn : new String[] {"GetChunksFunction", "SummarizeFunction"}) {
            gbs += addFunction(lambda, fn, 1, fns.path(fn).path("billed_ms").asDouble() * scale, mem(fns, fn));
            invocations += 1;
        }
        for (String fn : new String[] {"StartJobFunction", "UpdateJobFunction"}) {
            long n = fns.path(fn).path("invocations").asLong();
            gbs += addFunction(lambda, fn, n, fns.path(fn).path("billed_ms").asDouble(), mem(fns, fn));
            invocations += n;
        }
        double lambdaUsd = gbs * LAMBDA_GB_SECOND + invocations * LAMBDA_REQUEST;

        // Step Functions, three ways of fanning out the same chunks.
        long inlineTransitions = PARENT_TRANSITIONS + chunks;
        long children = (chunks + BATCH_SIZE - 1) / BATCH_SIZE;
        long standardChildTransitions = PARENT_TRANSITIONS + children + children; // one per child start + its one state
        double childSeconds = BATCH_SIZE * pcMs / 1000.0;
        double expressGbs = children * Math.ceil(childSeconds * 10) / 10 * (64 / 1024.0);
        double inlineUsd = inlineTransitions * SFN_STANDARD_TRANSITION;
        double standardChildrenUsd = standardChildTransitions * SFN_STANDARD_TRANSITION;
        double expressChildrenUsd = (PARENT_TRANSITIONS + children) * SFN_STANDARD_TRANSITION + children * SFN_EXPRESS_REQUEST
                + expressGbs * SFN_EXPRESS_GB_SECOND;

        // S3 and DynamoDB: this run's request counts scaled by rows.
        double puts = 0;
        double gets = 0;
        double ddbWrites = 0;
        double ddbReads = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = t.path("aws_requests").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double n = e.getValue().asDouble() * scale;
            switch (e.getKey()) {
                case "S3.GetObject", "S3.HeadObject" -> gets += n;
                case "S3.PutObject", "S3.ListObjectsV2", "S3.CopyObject", "S3.DeleteObject" -> puts += n;
                case "DynamoDb.UpdateItem", "DynamoDb.PutItem", "DynamoDb.DeleteItem" -> ddbWrites += n;
                case "DynamoDb.GetItem", "DynamoDb.Query" -> ddbReads += n;
                default -> { }
            }
        }
        double s3Usd = puts * S3_PUT_LIST + gets * S3_GET;
        double ddbUsd = ddbWrites * DDB_WRITE_UNIT + ddbReads * DDB_READ_UNIT;
        double totalInline = lambdaUsd + inlineUsd + s3Usd + ddbUsd;

        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("rows", ROWS);
        json.put("rows_per_chunk", rowsPerChunk);
        json.put("chunks", chunks);
        json.put("scale_from_measured_rows", measuredRows);
        json.set("lambda", lambda);
        json.put("lambda_gb_seconds", Stats.round(gbs, 1));
        json.put("lambda_invocations", invocations);
        json.put("lambda_usd", round(lambdaUsd));
        ObjectNode sfn = json.putObject("step_functions");
        sfn.putObject("inline_map_standard").put("transitions", inlineTransitions).put("usd", round(inlineUsd));
        sfn.putObject("distributed_map_standard_children").put("children", children).put("transitions", standardChildTransitions)
                .put("usd", round(standardChildrenUsd));
        sfn.putObject("distributed_map_express_children").put("children", children)
                .put("parent_transitions", PARENT_TRANSITIONS + children).put("express_gb_seconds", Stats.round(expressGbs, 2))
                .put("usd", round(expressChildrenUsd));
        json.putObject("s3").put("put_list_requests", (long) puts).put("get_requests", (long) gets).put("usd", round(s3Usd));
        json.putObject("dynamodb").put("write_units", (long) ddbWrites).put("read_units", (long) ddbReads).put("usd", round(ddbUsd));
        json.put("total_usd_inline", round(totalInline));
        ObjectNode prices = json.putObject("prices_usd");
        prices.put("lambda_gb_second", LAMBDA_GB_SECOND).put("lambda_request", LAMBDA_REQUEST)
                .put("sfn_standard_transition", SFN_STANDARD_TRANSITION).put("sfn_express_request", SFN_EXPRESS_REQUEST)
                .put("sfn_express_gb_second", SFN_EXPRESS_GB_SECOND).put("s3_put_list", S3_PUT_LIST).put("s3_get", S3_GET)
                .put("dynamodb_write_unit", DDB_WRITE_UNIT).put("dynamodb_read_unit", DDB_READ_UNIT);
        return new Result(json, markdown(json, pcMs, measuredRows));
    }

    private static int mem(JsonNode fns, String fn) {
        return fns.path(fn).path("memory_mb").asInt();
    }

    private static double addFunction(ObjectNode lambda, String fn, long invocations, double totalMs, int memoryMb) {
        double gbs = totalMs / 1000.0 * memoryMb / 1024.0;
        lambda.putObject(fn).put("invocations", invocations).put("total_ms", (long) totalMs).put("memory_mb", memoryMb)
                .put("gb_seconds", Stats.round(gbs, 2));
        return gbs;
    }

    private static double round(double usd) {
        return Stats.round(usd, 4);
    }

    private static String markdown(ObjectNode j, double pcMs, long measuredRows) {
        StringBuilder b = new StringBuilder();
        long chunks = j.path("chunks").asLong();
        b.append(String.format("A %,d-row run at the template's default target of 50,000 rows per chunk (%,d rows a chunk as planned "
                + "in the throughput run) is %,d chunks (an inline Map: at most 1,000). "
                + "Durations come from this run's throughput section: ProcessChunk's one-invocation-at-a-time median "
                + "(%,.0f ms per chunk; each Lambda environment has its own vCPUs, so the local run's concurrent durations "
                + "would overstate it), GetChunks and Summarize scaled linearly from %,d rows, StartJob and UpdateJob as measured "
                + "(per run). S3 and DynamoDB request counts are the ones the functions made in that run, scaled by rows. "
                + "Local durations stand in for Lambda's: a Lambda of 2,048 MB has about 1.2 vCPU, so treat the Lambda line as "
                + "an estimate within a factor of about 2.%n%n", j.path("rows").asLong(), j.path("rows_per_chunk").asLong(), chunks,
                pcMs, measuredRows));
        b.append("| item | formula | quantity | USD |\n|---|---|---:|---:|\n");
        JsonNode l = j.path("lambda");
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode f = e.getValue();
            b.append(String.format("| Lambda %s | %,d inv. x %,.0f ms x %,d MB / 1024 | %,.1f GB-s | %.4f |%n", e.getKey(),
                    f.path("invocations").asLong(), f.path("total_ms").asDouble() / Math.max(1, f.path("invocations").asLong()),
                    f.path("memory_mb").asInt(), f.path("gb_seconds").asDouble(), f.path("gb_seconds").asDouble() * LAMBDA_GB_SECOND));
        }
        b.append(String.format("| Lambda requests | invocations x $0.20/M | %,d | %.4f |%n", j.path("lambda_invocations").asLong(),
                j.path("lambda_invocations").asLong() * LAMBDA_REQUEST));
        JsonNode sfn = j.path("step_functions");
        b.append(String.format("| Step Functions, **inline Map** in the Standard execution (chunkflow at this size) | (%d + chunks) transitions x $0.025/1k | %,d transitions | %.4f |%n",
                PARENT_TRANSITIONS, sfn.path("inline_map_standard").path("transitions").asLong(), sfn.path("inline_map_standard").path("usd").asDouble()));
        b.append(String.format("| Step Functions, Distributed Map, **Standard children** (batch %d) | (%d + 2 x children) transitions x $0.025/1k | %,d transitions | %.4f |%n",
                BATCH_SIZE, PARENT_TRANSITIONS, sfn.path("distributed_map_standard_children").path("transitions").asLong(),
                sfn.path("distributed_map_standard_children").path("usd").asDouble()));
        b.append(String.format("| Step Functions, Distributed Map, **Express children** (batch %d; chunkflow above 1,000 chunks) | (%d + children) x $0.025/1k + children x $1/M + GB-s x $0.00001667 (64 MB, 100 ms steps) | %,d children, %.2f GB-s | %.4f |%n",
                BATCH_SIZE, PARENT_TRANSITIONS, sfn.path("distributed_map_express_children").path("children").asLong(),
                sfn.path("distributed_map_express_children").path("express_gb_seconds").asDouble(),
                sfn.path("distributed_map_express_children").path("usd").asDouble()));
        b.append(String.format("| S3 requests | PUT/LIST x $0.005/1k + GET x $0.0004/1k | %,d PUT/LIST, %,d GET | %.4f |%n",
                j.path("s3").path("put_list_requests").asLong(), j.path("s3").path("get_requests").asLong(), j.path("s3").path("usd").asDouble()));
        b.append(String.format("| DynamoDB on-demand | writes x $0.625/M + reads x $0.125/M (items < 1 KB) | %,d writes, %,d reads | %.4f |%n",
                j.path("dynamodb").path("write_units").asLong(), j.path("dynamodb").path("read_units").asLong(), j.path("dynamodb").path("usd").asDouble()));
        b.append(String.format("| **total** (inline Map, as chunkflow runs it) | | | **%.4f** |%n%n", j.path("total_usd_inline").asDouble()));
        b.append("Prices: us-east-1 list prices, x86_64 Lambda (arm64 is 20% cheaper per GB-s), S3 Standard, DynamoDB on-demand; "
                + "no free tier. Not included: S3 storage of the intermediate chunk objects (they expire by lifecycle rule), "
                + "CloudWatch Logs, data transfer (none within a region).\n");
        return b.toString();
    }
}
