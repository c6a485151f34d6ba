package dev.chunkflow.pipeline.source;

import java.util.List;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.workload.RecordFormat;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The source objects of a workload's format under a prefix, in key order. */
public final class SourceListing {
    private SourceListing() {
    }

    public static List<SourceObject> list(S3Io s3, String bucket, String prefix, RecordFormat format) {
        List<SourceObject> objects;
        try {
            objects = s3.list(bucket, prefix).stream()
                    .filter(o -> format.accepts(o.key()))
                    .map(o -> new SourceObject(o.key(), o.eTag(), o.size()))
                    .toList();
        } catch (NoSuchBucketException e) {
            throw new InvalidInput("source.bucket", "bucket " + bucket + " does not exist");
        }
        if (objects.isEmpty()) {
            throw new InvalidInput("source.prefix", "no " + String.join(" or ", format.suffixes()) + " objects under s3://"
                    + bucket + "/" + prefix);
        }
        return objects;
    }
}
