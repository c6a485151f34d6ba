package dev.chunkflow.local.template;

import java.util.Optional;

/** An {@code AWS::DynamoDB::Table} or {@code AWS::Serverless::SimpleTable}; {@code tableName} empty when generated. */
public record TableDef(String logicalId, Optional<String> tableName, String hashKey, Optional<String> rangeKey) {
}
