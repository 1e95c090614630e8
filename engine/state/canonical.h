// Canonical form of state messages: sorted sets and name-keyed lists, so that equal schemas
// are equal messages and diffs never flap.
//
// Canonicalize* functions are idempotent and never fail; they do not validate (a table that
// uses an attribute without a definition keeps it undefined; see validate.h).
#pragma once

#include "proto/commit.pb.h"

namespace strata {

// Sorts global and local indexes by name, INCLUDE projection attributes by name, and
// attribute definitions by name, dropping definitions no key uses;
// an all-zero throughput is cleared.
void CanonicalizeDynamoTable(pb::DynamoTable* table);

// Only the throughput part of CanonicalizeDynamoTable: enough after a change that touched
// nothing but throughputs of an already canonical table.
void CanonicalizeDynamoThroughput(pb::DynamoTable* table);

// Adds `index` and the definitions of its key attributes the table lacks to a canonical
// table, keeping it canonical without re-sorting it: the same result as appending both and
// calling CanonicalizeDynamoTable. The caller has checked that the name is free.
void AddDynamoGlobalIndexCanonical(const pb::DynamoGlobalIndex& index,
                                   const google::protobuf::RepeatedPtrField<
                                       pb::DynamoAttributeDefinition>& definitions,
                                   pb::DynamoTable* table);

}  // namespace strata
