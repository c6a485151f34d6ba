package dev.chunkflow.jobs;

import java.util.List;
import java.util.Map;

import dev.chunkflow.offload.ItemSize;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An append to offloaded steps whose preview is complete and whose inline size is recorded: the new
 * inline size is that plus each appended step's (DynamoDB's list rule: 1 + element size per element),
 * so the planner can keep the steps offloaded without downloading and parsing them.
 */
record OffloadedAppend(String oldKey, long count, long inlineBytes) {
    /** Null when the item does not allow it (steps inline, pointer incomplete, preview still growing). */
    static OffloadedAppend of(Map<String, AttributeValue> current, List<AttributeValue> appended) {
        AttributeValue key = current.get(JobItem.STEPS_KEY);
        AttributeValue count = current.get(JobItem.STEPS_COUNT);
        AttributeValue inline = current.get(JobItem.STEPS_ITEM_BYTES);
        AttributeValue preview = current.get(JobItem.STEPS_PREVIEW);
        if (key == null || key.s() == null || count == null || count.n() == null || inline == null || inline.n() == null
                || preview == null || preview.type() != AttributeValue.Type.L) {
            return null;
        }
        long n;
        long bytes;
        try {
            n = Long.parseLong(count.n());
            bytes = Long.parseLong(inline.n());
        } catch (NumberFormatException e) {
            return null;
        }
        // a preview of fewer than its full number of steps would change with this append
        if (n < StepsPreview.STEPS || preview.l().size() != StepsPreview.STEPS) {
            return null;
        }
        for (AttributeValue step : appended) {
            bytes += 1 + ItemSize.value(step);
        }
        return new OffloadedAppend(key.s(), n + appended.size(), bytes);
    }

    /** What the steps would add to the item inline: the attribute name and the list. */
    long attributeBytes() {
        return ItemSize.utf8Length(JobItem.STEPS) + inlineBytes;
    }
}
