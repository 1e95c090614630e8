#include "engine/state/canonical_glue_postgres.h"

#include <algorithm>
#include <tuple>

namespace strata {
namespace {

template <typename Repeated>
void SortByName(Repeated* items) {
  std::stable_sort(items->begin(), items->end(),
                   [](const auto& x, const auto& y) { return x.name() < y.name(); });
}

bool IsEmpty(const pb::GlueSerDe& serde) {
  return serde.name().empty() && serde.serialization_library().empty() &&
         serde.parameters().empty();
}

}  // namespace

void CanonicalizeGlueTable(pb::GlueTable* table) {
  // An unset and an empty SerDe describe the same table; keep only the unset form.
  if (table->has_serde() && IsEmpty(table->serde())) table->clear_serde();
  // Glue says "not bucketed" with NumberOfBuckets -1 (Hive's convention) or 0; keep 0.
  if (table->num_buckets() < 0) table->set_num_buckets(0);
}

void CanonicalizePgTable(pb::PgTable* table) {
  SortByName(table->mutable_constraints());
  SortByName(table->mutable_indexes());
  SortByName(table->mutable_triggers());
  std::sort(table->mutable_options()->begin(), table->mutable_options()->end());
  SortByName(table->mutable_policies());
  CanonicalizePgObject(table);
  for (auto& c : *table->mutable_columns()) CanonicalizePgObject(&c);
}

void CanonicalizePgView(pb::PgView* view) {
  SortByName(view->mutable_indexes());
  std::sort(view->mutable_options()->begin(), view->mutable_options()->end());
  CanonicalizePgObject(view);
}

void CanonicalizePgType(pb::PgType* type) {
  if (type->has_domain()) SortByName(type->mutable_domain()->mutable_constraints());
  CanonicalizePgObject(type);
}

void CanonicalizePgAcl(pb::PgAcl* acl) {
  auto order = [](const pb::PgGrant& x, const pb::PgGrant& y) {
    return std::forward_as_tuple(x.grantee(), x.privilege(), x.grantor(), x.grantable()) <
           std::forward_as_tuple(y.grantee(), y.privilege(), y.grantor(), y.grantable());
  };
  std::stable_sort(acl->mutable_grants()->begin(), acl->mutable_grants()->end(), order);
  std::stable_sort(acl->mutable_revokes()->begin(), acl->mutable_revokes()->end(), order);
}

}  // namespace strata
