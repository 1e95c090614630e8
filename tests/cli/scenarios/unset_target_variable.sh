# A target whose settings use an unset ${VAR} stops only the commands that use that target
# (the demo's strata.yaml: line 10 reads DEMO_DDB_ENDPOINT). History, status and generate
# work; plan, list and drift of that target name the variable, the file and the line.
printf 'version: 1\nlog: .strata\nschemas:\n  dynamodb:\n    engine: dynamodb\n    path: schema/dynamodb\ntargets:\n  local:\n    engine: dynamodb\n    endpoint: ${DEMO_DDB_ENDPOINT}\n    region: us-east-1\n' > strata.yaml
mkdir -p schema/dynamodb
printf 'table: orders\npartition_key: { name: id, type: S }\n' > schema/dynamodb/orders.yaml
strata status
strata generate -m "orders"
strata log
strata show --at HEAD orders
strata tag v1
strata verify
strata plan --target local
strata plan
strata list --target local
strata drift --target local
