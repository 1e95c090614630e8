# Damage to the log is found, named by seq, and never papered over.
strata init --yes
cp $EXAMPLES/shop/steps/1-initial/* schema/dynamodb/
strata generate -m "initial tables"
cp $EXAMPLES/shop/steps/2-lookups/* schema/dynamodb/
strata generate -m "customers by email"
cp $EXAMPLES/shop/steps/3-streams/* schema/dynamodb/
strata generate -m "streams"
strata verify
# A torn tail (a crash in the middle of an append, never acknowledged): cut back on the next
# write, and said so.
printf 'torn' >> .strata/000001.log
strata verify
strata log -n 1
strata tag after-crash
strata verify
# The newest acknowledged commit cut short: the head witness names it, so it is damage, not a
# torn tail, and nothing cuts it away.
cp .strata/000001.log whole.bak
truncate -s -5 .strata/000001.log
strata verify
strata tag too-late
cmp -s .strata/000001.log whole.bak || echo "the damaged log was left as it was"
# A flipped byte inside the newest commit: damage at that seq too.
cp whole.bak .strata/000001.log
printf '\x00' | dd of=.strata/000001.log bs=1 seek=830 conv=notrunc status=none
strata verify
# A damaged witness, then none: said plainly; a write writes a new one.
cp whole.bak .strata/000001.log
printf 'x' | dd of=.strata/HEAD bs=1 seek=20 conv=notrunc status=none
strata verify
rm .strata/HEAD
strata verify
strata tag witnessed
strata verify
# A flipped byte inside an earlier commit: verify fails at that commit; reads refuse too.
printf '\x00' | dd of=.strata/000001.log bs=1 seek=350 conv=notrunc status=none
strata verify
strata show --at 1
strata log
