// Diff of one PostgreSQL table's columns. PostgreSQL appends new columns and cannot move one,
// so the columns that stay in place are the longest prefix of b's columns that a already has
// in the same relative order; every later column of b is added at the end, in b's order. A
// column of a that b places after that prefix is therefore dropped and added again: the only
// way to reach b's order (it loses the column's data, as the DDL would).
#include <map>
#include <set>

#include "engine/diff/diff.h"
#include "engine/diff/postgres_diff_internal.h"

namespace strata::pg_diff {
namespace {

using google::protobuf::util::MessageDifferencer;

int KeptPrefix(const pb::PgTable& a, const pb::PgTable& b) {
  std::map<std::string, int> position_in_a;
  for (int i = 0; i < a.columns_size(); ++i) position_in_a[a.columns(i).name()] = i;
  int last = -1;
  int k = 0;
  for (; k < b.columns_size(); ++k) {
    auto it = position_in_a.find(b.columns(k).name());
    if (it == position_in_a.end() || it->second < last) break;
    last = it->second;
  }
  return k;
}

template <typename Event>
Event* On(Event* e, const pb::PgTable& t, const pb::PgColumn& c) {
  e->set_schema(t.schema());
  e->set_table(t.name());
  e->set_column(c.name());
  return e;
}

// Removals of a default, an identity or a generation expression come before everything else,
// so the column never holds two of them at once (PostgreSQL rejects that).
void RemoveAttributes(const pb::PgTable& t, const pb::PgColumn& a, const pb::PgColumn& b,
                      std::vector<pb::Event>* out) {
  if (a.has_default_expr() && !b.has_default_expr()) {
    On(NewChange(out)->mutable_set_column_default(), t, b);
  }
  if (a.identity() != b.identity() && b.identity() == pb::PG_IDENTITY_NONE) {
    On(NewChange(out)->mutable_set_column_identity(), t, b)->set_identity(b.identity());
  }
  if (a.has_generated_expr() && !b.has_generated_expr()) {
    On(NewChange(out)->mutable_set_column_generated(), t, b);
  }
}

void AddAttributes(const pb::PgTable& t, const pb::PgColumn& a, const pb::PgColumn& b,
                   std::vector<pb::Event>* out) {
  if (b.has_default_expr() &&
      (!a.has_default_expr() || a.default_expr() != b.default_expr())) {
    On(NewChange(out)->mutable_set_column_default(), t, b)->set_default_expr(b.default_expr());
  }
  if (a.identity() != b.identity() && b.identity() != pb::PG_IDENTITY_NONE) {
    On(NewChange(out)->mutable_set_column_identity(), t, b)->set_identity(b.identity());
  }
  if (b.has_generated_expr() &&
      (!a.has_generated_expr() || a.generated_expr() != b.generated_expr())) {
    On(NewChange(out)->mutable_set_column_generated(), t, b)
        ->set_generated_expr(b.generated_expr());
  }
}

void AlterColumn(const pb::PgTable& t, const pb::PgColumn& a, const pb::PgColumn& b,
                 std::vector<pb::Event>* out) {
  if (MessageDifferencer::Equals(a, b)) return;
  RemoveAttributes(t, a, b, out);
  if (a.type() != b.type() || a.collation() != b.collation()) {
    auto* e = On(NewChange(out)->mutable_alter_column_type(), t, b);
    e->set_type(b.type());
    e->set_collation(b.collation());
  }
  if (a.not_null() != b.not_null()) {
    On(NewChange(out)->mutable_set_column_not_null(), t, b)->set_not_null(b.not_null());
  }
  AddAttributes(t, a, b, out);
  if (a.comment() != b.comment()) {
    SetComment(Ref(pb::PG_OBJECT_COLUMN, t.schema(), t.name(), b.name()), b.comment(), out);
  }
  SetAclIfChanged(a.acl(), b.acl(), Ref(pb::PG_OBJECT_COLUMN, t.schema(), t.name(), b.name()),
                  out);
}

}  // namespace

void DiffColumns(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  const int kept = KeptPrefix(a, b);
  std::set<std::string> stays;
  for (int i = 0; i < kept; ++i) stays.insert(b.columns(i).name());
  for (const auto& c : a.columns()) {
    if (!stays.count(c.name())) On(NewChange(out)->mutable_drop_column(), b, c);
  }
  std::map<std::string, const pb::PgColumn*> in_a;
  for (const auto& c : a.columns()) in_a[c.name()] = &c;
  for (int i = 0; i < kept; ++i) AlterColumn(b, *in_a.at(b.columns(i).name()), b.columns(i), out);
  for (int i = kept; i < b.columns_size(); ++i) {
    auto* e = NewChange(out)->mutable_add_column();
    e->set_schema(b.schema());
    e->set_table(b.name());
    *e->mutable_column() = b.columns(i);
  }
}

}  // namespace strata::pg_diff
