# Damage to the log is found, named by seq, and never papered over.
strata init --yes
cp $EXAMPLES/shop/steps/1-initial/* schema/dynamodb/
strata generate -m "initial tables"
cp $EXAMPLES/shop/steps/2-lookups/* schema/dynamodb/
strata generate -m "customers by email"
cp $EXAMPLES/shop/steps/3-streams/* schema/dynamodb/
strata generate -m "streams"
strata verify
# A torn tail (a crash in the middle of an append): cut back on the next write, and said so.
cp .strata/000001.log torn.bak
truncate -s -5 .strata/000001.log
strata verify
strata log -n 1
strata tag after-crash
strata verify
# A flipped byte inside an earlier commit: verify fails at that commit; reads refuse too.
printf '\x00' | dd of=.strata/000001.log bs=1 seek=350 conv=notrunc status=none
strata verify
strata show --at 1
strata log
