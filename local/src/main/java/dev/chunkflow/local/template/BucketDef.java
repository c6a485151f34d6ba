package dev.chunkflow.local.template;

import java.util.Optional;

/** An {@code AWS::S3::Bucket}; {@code bucketName} is empty when CloudFormation generates the name. */
public record BucketDef(String logicalId, Optional<String> bucketName) {
}
