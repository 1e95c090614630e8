# The everyday loop on the sample shop: init, generate, inspect, time travel, tag, verify.
strata --version
strata frobnicate
strata log --bogus
strata log
strata generate
strata init
cp $EXAMPLES/shop/steps/1-initial/* schema/dynamodb/
strata status --detailed-exitcode
strata generate -m "initial tables"
strata generate
ls migrations/dynamodb
@env STRATA_NOW=2026-03-03T14:30:00Z
@env STRATA_ACTOR_NAME=bob
@env STRATA_ACTOR_EMAIL=bob@shop.example
cp $EXAMPLES/shop/steps/2-lookups/* schema/dynamodb/
strata generate --dry-run
strata generate -m "customers by email" --name customers_by_email
ls migrations/dynamodb
strata tag v1
strata tag v1
strata tag
strata log
strata log customers --events
strata log --actor bob --json
strata show
strata show --at 1 customers
strata show --at v1 customers --json
strata show --at @2026-03-02 customers
strata show --at @2026-02-01 customers
strata show --at 9 customers
strata show nosuchtable
strata diff 1 HEAD
strata diff 1 HEAD --detailed-exitcode
strata diff HEAD HEAD
strata diff 1 --json
strata blame customers
strata verify
