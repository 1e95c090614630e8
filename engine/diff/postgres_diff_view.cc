// Diff of PostgreSQL views. A view whose definition changes is replaced whole (ReplaceView
// carries its indexes and comment too); one that changes between plain and materialized is
// dropped before the tables change and created after, as CREATE OR REPLACE cannot do that.
// Otherwise its indexes, options and comment change by their own events.
#include "engine/diff/diff.h"
#include "engine/diff/postgres_diff_internal.h"

namespace strata::pg_diff {
namespace {

using google::protobuf::util::MessageDifferencer;

bool Recreated(const pb::PgView& a, const pb::PgView& b) {
  return a.materialized() != b.materialized();
}

void AlterView(const pb::PgView& a, const pb::PgView& b, std::vector<pb::Event>* out) {
  if (MessageDifferencer::Equals(a, b)) return;
  if (a.definition() != b.definition()) {
    // CREATE OR REPLACE VIEW keeps the privileges; a change of them is a SetAcl of its own.
    *NewChange(out)->mutable_replace_view()->mutable_view() = WithAcl(b, a.acl());
  } else {
    DropIndexes(b.schema(), b.name(), a.indexes(), b.indexes(), out);
    AddIndexes(b.schema(), b.name(), a.indexes(), b.indexes(), out);
    DiffViewOptions(a, b, out);
    if (a.comment() != b.comment()) {
      SetComment(Ref(pb::PG_OBJECT_VIEW, b.schema(), b.name()), b.comment(), out);
    }
  }
  SetAclIfChanged(a.acl(), b.acl(), Ref(pb::PG_OBJECT_VIEW, b.schema(), b.name()), out);
}

}  // namespace

void DropViews(const Views& a, const Views& b, std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_a == a.end()) continue;
    if (in_b == b.end() || Recreated(in_a->second, in_b->second)) {
      auto* e = NewChange(out)->mutable_drop_view();
      e->set_schema(in_a->second.schema());
      e->set_view(in_a->second.name());
    }
  }
}

void CreateAndAlterViews(const Views& a, const Views& b, std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_b == b.end()) continue;
    if (in_a == a.end() || Recreated(in_a->second, in_b->second)) {
      *NewChange(out)->mutable_create_view()->mutable_view() = in_b->second;
    } else {
      AlterView(in_a->second, in_b->second, out);
    }
  }
}

}  // namespace strata::pg_diff
