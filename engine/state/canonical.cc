#include "engine/state/canonical.h"

#include <algorithm>
#include <set>
#include <string>

namespace strata {
namespace {

void SortProjection(pb::DynamoProjection* projection) {
  auto* attrs = projection->mutable_non_key_attributes();
  std::sort(attrs->begin(), attrs->end());
  attrs->erase(std::unique(attrs->begin(), attrs->end()), attrs->end());
}

bool IsZero(const pb::DynamoThroughput& t) {
  return t.read_capacity_units() == 0 && t.write_capacity_units() == 0;
}

template <typename Repeated>
void SortByName(Repeated* items) {
  std::sort(items->begin(), items->end(),
            [](const auto& x, const auto& y) { return x.name() < y.name(); });
}

}  // namespace

void CanonicalizeDynamoTable(pb::DynamoTable* table) {
  std::set<std::string> used;
  auto use = [&used](const std::string& name) {
    if (!name.empty()) used.insert(name);
  };
  use(table->key().partition_key());
  use(table->key().sort_key());
  // An all-zero throughput and no throughput are the same thing: keep one form.
  if (table->has_throughput() && IsZero(table->throughput())) table->clear_throughput();
  for (auto& gsi : *table->mutable_global_indexes()) {
    if (gsi.has_throughput() && IsZero(gsi.throughput())) gsi.clear_throughput();
    use(gsi.key().partition_key());
    use(gsi.key().sort_key());
    SortProjection(gsi.mutable_projection());
  }
  for (auto& lsi : *table->mutable_local_indexes()) {
    use(lsi.sort_key());
    SortProjection(lsi.mutable_projection());
  }
  SortByName(table->mutable_global_indexes());
  SortByName(table->mutable_local_indexes());

  auto* attrs = table->mutable_attributes();
  SortByName(attrs);
  // Keep the first definition of each used name; drop unused and duplicate ones.
  int keep = 0;
  for (int i = 0; i < attrs->size(); ++i) {
    const auto& a = attrs->Get(i);
    if (!used.count(a.name())) continue;
    if (keep > 0 && attrs->Get(keep - 1).name() == a.name()) continue;
    if (keep != i) attrs->SwapElements(keep, i);
    ++keep;
  }
  while (attrs->size() > keep) attrs->RemoveLast();
}

}  // namespace strata
