// Diff of PostgreSQL tables, in phases across all tables so that dependencies between tables
// hold on the server:
//   A. drops of removed or redefined triggers, indexes, policies and constraints (foreign
//      keys first: they depend on other tables' keys);
//   B. drops of removed tables (and of tables that become foreign tables or stop being ones,
//      or change how they are partitioned);
//   C. column, storage, partition and foreign-table changes, table comments, row-level
//      security flags and privileges of kept tables; creates of new tables (with their
//      policies and privileges, but without their foreign keys, which may reference tables
//      created later in this phase);
//   D. inheritance changes of kept tables; adds of new or redefined constraints, indexes,
//      triggers and policies, comment changes of parts, and last the foreign keys.
// A redefined constraint, index or trigger is dropped and added again: none has an ALTER that
// changes its definition.
#include <deque>
#include <map>

#include "engine/diff/diff.h"
#include "engine/diff/postgres_diff_internal.h"

namespace strata::pg_diff {
namespace {

using google::protobuf::util::MessageDifferencer;

enum class Pass { kForeignKeys, kOthers };

bool InPass(const pb::PgConstraint& c, Pass pass) {
  return (c.type() == pb::PG_CONSTRAINT_FOREIGN_KEY) == (pass == Pass::kForeignKeys);
}

template <typename Item>
struct PartsDiff {
  std::vector<const Item*> dropped;      // gone from b, or redefined
  std::vector<const Item*> added;        // new in b, or redefined (b's item)
  std::vector<const Item*> recommented;  // same definition, another comment (b's item)
};

// Both lists are sorted by name, so the result is too.
template <typename Repeated>
auto DiffParts(const Repeated& a, const Repeated& b) {
  using Item = typename Repeated::value_type;
  std::map<std::string, const Item*> in_a, in_b;
  for (const auto& x : a) in_a[x.name()] = &x;
  for (const auto& x : b) in_b[x.name()] = &x;
  PartsDiff<Item> d;
  for (const auto& x : a) {
    auto it = in_b.find(x.name());
    if (it == in_b.end() || !SameButComment(x, *it->second)) d.dropped.push_back(&x);
  }
  for (const auto& x : b) {
    auto it = in_a.find(x.name());
    if (it == in_a.end() || !SameButComment(*it->second, x)) {
      d.added.push_back(&x);
    } else if (it->second->comment() != x.comment()) {
      d.recommented.push_back(&x);
    }
  }
  return d;
}

// Names a table event's table.
template <typename Event>
Event* On(Event* e, const pb::PgTable& t) {
  e->set_schema(t.schema());
  e->set_table(t.name());
  return e;
}

void DropParts(const pb::PgTable& a, const pb::PgTable& b, Pass pass,
               std::vector<pb::Event>* out) {
  if (pass == Pass::kForeignKeys) {
    for (const auto* t : DiffParts(a.triggers(), b.triggers()).dropped) {
      On(NewChange(out)->mutable_drop_trigger(), b)->set_trigger(t->name());
    }
    DropIndexes(b.schema(), b.name(), a.indexes(), b.indexes(), out);
    DropPolicies(a, b, out);
  }
  for (const auto* c : DiffParts(a.constraints(), b.constraints()).dropped) {
    if (!InPass(*c, pass)) continue;
    On(NewChange(out)->mutable_drop_constraint(), b)->set_constraint(c->name());
  }
}

void AddParts(const pb::PgTable& a, const pb::PgTable& b, Pass pass,
              std::vector<pb::Event>* out) {
  auto constraints = DiffParts(a.constraints(), b.constraints());
  for (const auto* c : constraints.added) {
    if (!InPass(*c, pass)) continue;
    *On(NewChange(out)->mutable_add_constraint(), b)->mutable_constraint() = *c;
  }
  if (pass == Pass::kForeignKeys) return;
  for (const auto* c : constraints.recommented) {
    SetComment(Ref(pb::PG_OBJECT_CONSTRAINT, b.schema(), b.name(), c->name()), c->comment(), out);
  }
  AddIndexes(b.schema(), b.name(), a.indexes(), b.indexes(), out);
  auto triggers = DiffParts(a.triggers(), b.triggers());
  for (const auto* t : triggers.added) {
    *On(NewChange(out)->mutable_create_trigger(), b)->mutable_trigger() = *t;
  }
  for (const auto* t : triggers.recommented) {
    SetComment(Ref(pb::PG_OBJECT_TRIGGER, b.schema(), b.name(), t->name()), t->comment(), out);
  }
  AddPolicies(a, b, out);
}

}  // namespace

void DropIndexes(const std::string& schema, const std::string& owner, const Indexes& a,
                 const Indexes& b, std::vector<pb::Event>* out) {
  for (const auto* i : DiffParts(a, b).dropped) {
    auto* e = NewChange(out)->mutable_drop_index();
    e->set_schema(schema);
    e->set_table(owner);
    e->set_index(i->name());
  }
}

void AddIndexes(const std::string& schema, const std::string& owner, const Indexes& a,
                const Indexes& b, std::vector<pb::Event>* out) {
  auto d = DiffParts(a, b);
  for (const auto* i : d.added) {
    auto* e = NewChange(out)->mutable_create_index();
    e->set_schema(schema);
    e->set_table(owner);
    *e->mutable_index() = *i;
  }
  for (const auto* i : d.recommented) {
    SetComment(Ref(pb::PG_OBJECT_INDEX, schema, owner, i->name()), i->comment(), out);
  }
}

namespace {

pb::PgTable WithoutForeignKeys(const pb::PgTable& t) {
  pb::PgTable copy = t;
  copy.clear_constraints();
  for (const auto& c : t.constraints()) {
    if (InPass(c, Pass::kOthers)) *copy.add_constraints() = c;
  }
  return copy;
}

// What happens to each table, sorted by key. A created table is paired with the form its
// CreateTable gives it, so phase D adds its foreign keys like any kept table's.
struct TablePlan {
  std::vector<const pb::PgTable*> removed;
  std::vector<std::pair<pb::PgTable, const pb::PgTable*>> created;  // (as created, target)
  std::vector<std::pair<const pb::PgTable*, const pb::PgTable*>> kept;  // changed ones only
  std::deque<pb::PgTable> detached;  // storage for kept tables seen as after their DETACH
};

// A partition that b detaches, as the detach leaves it: no longer a partition, and its indexes
// no longer hang on the partitioned ones (the SetPartition event does both).
pb::PgTable AsDetached(const pb::PgTable& t) {
  pb::PgTable copy = t;
  for (auto& i : *copy.mutable_indexes()) i.clear_parent_index();
  return copy;
}

TablePlan Plan(const Tables& a, const Tables& b) {
  TablePlan plan;
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_b == b.end()) {
      plan.removed.push_back(&in_a->second);
    } else if (in_a == a.end()) {
      plan.created.emplace_back(WithoutForeignKeys(in_b->second), &in_b->second);
    } else if (TableRecreated(in_a->second, in_b->second) ||
               in_a->second.partition_key() != in_b->second.partition_key()) {
      // PostgreSQL cannot turn a table into a foreign table or back, nor change how a table
      // is partitioned: it is made again.
      plan.removed.push_back(&in_a->second);
      plan.created.emplace_back(WithoutForeignKeys(in_b->second), &in_b->second);
    } else if (!MessageDifferencer::Equals(in_a->second, in_b->second)) {
      const pb::PgTable* from = &in_a->second;
      if (!from->partition_of().parent().empty() && in_b->second.partition_of().parent().empty()) {
        plan.detached.push_back(AsDetached(*from));
        from = &plan.detached.back();
      }
      plan.kept.emplace_back(from, &in_b->second);
    }
  }
  return plan;
}

void ColumnsAndComment(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  DiffColumns(a, b, out);
  DiffTableStorage(a, b, out);
  if (!MessageDifferencer::Equals(a.partition_of(), b.partition_of())) {
    auto* e = On(NewChange(out)->mutable_set_partition(), b);
    if (!b.partition_of().parent().empty()) *e->mutable_partition_of() = b.partition_of();
  }
  if (a.comment() != b.comment()) {
    SetComment(Ref(pb::PG_OBJECT_TABLE, b.schema(), b.name()), b.comment(), out);
  }
  SetTableSecurity(a, b, out);
}

}  // namespace

void DiffTables(const Tables& a, const Tables& b, std::vector<pb::Event>* out) {
  TablePlan plan = Plan(a, b);
  for (Pass pass : {Pass::kForeignKeys, Pass::kOthers}) {
    for (const auto& [x, y] : plan.kept) DropParts(*x, *y, pass, out);
  }
  for (const auto* t : plan.removed) {
    auto* e = NewChange(out)->mutable_drop_table();
    e->set_schema(t->schema());
    e->set_table(t->name());
  }
  for (const auto& [x, y] : plan.kept) ColumnsAndComment(*x, *y, out);
  for (const auto& [t, _] : plan.created) {
    *NewChange(out)->mutable_create_table()->mutable_table() = t;
  }
  for (const auto& [x, y] : plan.kept) DiffInherits(*x, *y, out);
  for (Pass pass : {Pass::kOthers, Pass::kForeignKeys}) {
    for (const auto& [x, y] : plan.kept) AddParts(*x, *y, pass, out);
    for (const auto& [x, y] : plan.created) AddParts(x, *y, pass, out);
  }
}

}  // namespace strata::pg_diff
