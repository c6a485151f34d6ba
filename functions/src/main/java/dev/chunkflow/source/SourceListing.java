package dev.chunkflow.source;

import java.util.List;
import java.util.Locale;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.io.S3Io;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The CSV objects ({@code *.csv}, {@code *.csv.gz}) under a prefix, in key order. */
public final class SourceListing {
    private SourceListing() {
    }

    public static List<SourceObject> list(S3Io s3, String bucket, String prefix) {
        List<SourceObject> objects;
        try {
            objects = s3.list(bucket, prefix).stream()
                    .filter(o -> isCsv(o.key()))
                    .map(o -> new SourceObject(o.key(), o.eTag(), o.size()))
                    .toList();
        } catch (NoSuchBucketException e) {
            throw new InvalidInput("source.bucket", "bucket " + bucket + " does not exist");
        }
        if (objects.isEmpty()) {
            throw new InvalidInput("source.prefix", "no .csv or .csv.gz objects under s3://" + bucket + "/" + prefix);
        }
        return objects;
    }

    static boolean isCsv(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith(".csv") || k.endsWith(".csv.gz");
    }
}
