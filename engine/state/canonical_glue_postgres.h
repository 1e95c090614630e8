// Canonical form of Glue and PostgreSQL state messages (see canonical.h for DynamoDB): equal
// schemas are equal messages, so MessageDifferencer::Equals is schema equality.
//
// Glue: an empty SerDe is no SerDe; a negative bucket count (Glue's -1) is 0, not bucketed. PostgreSQL: a table's constraints, indexes and triggers, a
// materialized view's indexes and a domain's constraints are sorted by name, and storage and view
// options by their text; columns, enum labels, composite attributes, inheritance parents and
// foreign options keep their (meaningful) order. A table's policies are sorted by name and every
// ACL's grants and revokes by grantee, privilege, grantor (then grant option). Idempotent; never
// fails.
#pragma once

#include "engine/state/postgres_security.h"
#include "proto/commit.pb.h"

namespace strata {

void CanonicalizeGlueTable(pb::GlueTable* table);

void CanonicalizePgTable(pb::PgTable* table);
void CanonicalizePgView(pb::PgView* view);
void CanonicalizePgType(pb::PgType* type);
void CanonicalizePgAcl(pb::PgAcl* acl);

// An object's (or a column's) ACL in canonical form: sorted, and unset when empty (the
// default), so that an empty ACL and none are the same message. A no-op for kinds without one.
template <typename Object>
void CanonicalizePgObject(Object* object) {
  if constexpr (requires { object->mutable_acl(); }) {
    if (!object->has_acl()) return;
    if (IsEmptyAcl(object->acl())) {
      object->clear_acl();
    } else {
      CanonicalizePgAcl(object->mutable_acl());
    }
  }
}

}  // namespace strata
