# DynamoDB edges that need no server: every bad table file in one run, named relative to the
# project; a quoted capacity; blame of settings turned off and of an index of a dotted table
# name; log OBJECT --events listing only that object's events; push taking --auto-approve.
strata init --yes
printf 'table: orders\npartition_key: { name: id, type: X }\n' > schema/dynamodb/orders.yaml
printf 'table: users\npartition_key: { name: id, type: S }\nbogus: 1\n' > schema/dynamodb/users.yaml
printf '{"TableName": "carts", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],\n "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],\n "BillingMode": "PROVISIONED",\n "ProvisionedThroughput": {"ReadCapacityUnits": "5", "WriteCapacityUnits": "5"}}\n' > schema/dynamodb/carts.json
strata generate
rm schema/dynamodb/orders.yaml schema/dynamodb/users.yaml schema/dynamodb/carts.json
printf 'table: app.orders\npartition_key: { name: id, type: S }\nttl: expires_at\ndeletion_protection: true\nglobal_indexes:\n  - { name: by_status, partition_key: { name: status, type: S } }\n' > schema/dynamodb/orders.yaml
printf 'table: app.users\npartition_key: { name: id, type: S }\n' > schema/dynamodb/users.yaml
strata generate -m "orders and users"
@env STRATA_NOW=2026-03-02T10:00:00Z
@env STRATA_ACTOR_NAME=carol
printf 'table: app.orders\npartition_key: { name: id, type: S }\nglobal_indexes:\n  - { name: by_status, partition_key: { name: status, type: S } }\n' > schema/dynamodb/orders.yaml
printf 'table: app.users\npartition_key: { name: id, type: S }\nstream: keys_only\n' > schema/dynamodb/users.yaml
strata generate -m "protection and time to live off; users stream"
strata blame app.orders
strata blame app.orders.by_status
strata log app.users --events
strata log app.orders --events
printf 'version: 1\nschemas:\n  dynamodb: { engine: dynamodb, path: schema/dynamodb }\ntargets:\n  dev: { engine: dynamodb, region: us-east-1, endpoint: "http://127.0.0.1:1" }\n' > strata.yaml
@env AWS_ACCESS_KEY_ID=AKIDEXAMPLE
@env AWS_SECRET_ACCESS_KEY=dy
@env AWS_MAX_ATTEMPTS=1
strata push --target dev --auto-approve
