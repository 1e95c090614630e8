# Bad input gets a clear message naming the file and line, a non-zero exit, and writes nothing.
strata init --yes
printf 'table: orders\npartition_key: { name: id, type: BOOL }\n' > schema/dynamodb/orders.yaml
strata generate
printf 'table: orders\npartition_key: { name: id, type: S }\nbiling: provisioned\n' > schema/dynamodb/orders.yaml
strata generate
printf '{"TableName": "orders", "KeySchema": [' > schema/dynamodb/orders.json
rm schema/dynamodb/orders.yaml
strata generate
rm schema/dynamodb/orders.json
strata log
strata show --at HEAD~1
strata show --at @2026-13-01
printf 'version: 1\nschemas:\n  dynamodb: { engine: cassandra, path: x }\n' > strata.yaml
strata status
printf 'version: 1\nlogs: .strata\n' > strata.yaml
strata status
