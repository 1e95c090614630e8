# DynamoDB target commands that need no server: picking a target, usage errors, and a Mizzle
# snapshot imported as the first commit.
strata init --yes
printf 'version: 1\nschemas:\n  dynamodb: { engine: dynamodb, path: schema/dynamodb }\ntargets:\n  dev: { engine: dynamodb, region: us-east-1, endpoint: "http://127.0.0.1:1" }\n  app: { engine: postgres, dsn: "postgresql://app@127.0.0.1/app" }\n  typo: { engine: dynamodb, endpont: "http://127.0.0.1:1" }\n' > strata.yaml
strata list --target nope
strata list --target app
strata list --target typo
strata drop --target dev orders
strata drop --target dev --yes
strata export --target dev --format xml
strata import mizzle
printf '{"version": "1", "tables": {"orders": {"TableName": "orders", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}, {"AttributeName": "status", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}], "BillingMode": "PAY_PER_REQUEST", "GlobalSecondaryIndexes": [{"IndexName": "by_status", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]}}}\n' > snapshot.json
strata import mizzle snapshot.json
strata log
strata show orders
strata import mizzle snapshot.json
strata import mizzle snapshot.json --force
strata verify
printf '{"version": "2", "tables": {}}\n' > bad.json
strata import mizzle bad.json
strata import mizzle snapshot.json --force --write-files
strata status
strata generate
mkdir old && mv snapshot.json old/
strata import mizzle old --force --write-files --format json --dir other
cat other/orders.json | head -3
printf 'table: orders\npartition_key: { name: pk, type: S }\n' > schema/dynamodb/orders.yaml
strata --json import mizzle old --force --write-files
strata import --target dev --write-files
