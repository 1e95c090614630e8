// Canonical form of Glue and PostgreSQL state messages (see canonical.h for DynamoDB): equal
// schemas are equal messages, so MessageDifferencer::Equals is schema equality.
//
// Glue: an empty SerDe is no SerDe; a negative bucket count (Glue's -1) is 0, not bucketed. PostgreSQL: a table's constraints, indexes and triggers, a
// materialized view's indexes and a domain's constraints are sorted by name, and storage and view
// options by their text; columns, enum labels, composite attributes, inheritance parents and
// foreign options keep their (meaningful) order. Idempotent; never fails.
#pragma once

#include "proto/commit.pb.h"

namespace strata {

void CanonicalizeGlueTable(pb::GlueTable* table);

void CanonicalizePgTable(pb::PgTable* table);
void CanonicalizePgView(pb::PgView* view);
void CanonicalizePgType(pb::PgType* type);

}  // namespace strata
