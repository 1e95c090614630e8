// Apply for the PostgreSQL changes about identity and structure: renames (the object keeps
// its identity and its history), new server text for an unchanged index, constraint or
// trigger, attaching and detaching partitions, and the fallback objects kept as definition
// text. Every handler checks first and mutates last, so a failing change leaves the schema
// as it was.
//
// A rename also rewrites the references the model keeps by name: sequence owners
// ("schema.table.column"), partition parents, inheritance parents and partitioned-index
// parents. Text the server deparses (index and view definitions, defaults) is not rewritten
// here: a capture records the server's new text with the events that follow the rename.
#include <fmt/format.h>

#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_apply_internal.h"

namespace strata::pg_apply {
namespace {

Status Exists(std::string_view what, const std::string& key) {
  return Status::AlreadyExists(fmt::format("postgres {} {} already exists", what, key));
}

// Moves map entry `from` to `to` (which must be free), letting `rename` fix the object.
template <typename Map, typename Fix>
Status Rekey(Map* map, const std::string& from, const std::string& to, std::string_view what,
             Fix fix) {
  auto it = map->find(from);
  if (it == map->end()) {
    return Status::NotFound(fmt::format("postgres {} {} does not exist", what, from));
  }
  if (map->count(to)) return Exists(what, to);
  auto object = std::move(it->second);
  map->erase(it);
  fix(&object);
  (*map)[to] = std::move(object);
  return Status::Ok();
}

// Renames part `from` of a name-sorted list to `to`, keeping the list sorted.
template <typename Repeated>
Status RenamePart(Repeated* items, std::string_view what, const std::string& owner,
                  const std::string& from, const std::string& to) {
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(*items, what, owner, from));
  if (IndexByName(*items, to) >= 0) return Exists(what, fmt::format("{}.{}", owner, to));
  auto item = items->Get(i);
  items->DeleteSubrange(i, 1);
  item.set_name(to);
  InsertSorted(items, item);
  return Status::Ok();
}

// "schema.table.column" owners of sequences, for a renamed table or column.
void RewriteOwners(pb::PostgresSchema* s, const std::string& from, const std::string& to) {
  for (auto& [_, q] : *s->mutable_sequences()) {
    if (q.owned_by() == from) q.set_owned_by(to);
    if (q.owned_by().size() > from.size() && q.owned_by().compare(0, from.size(), from) == 0 &&
        q.owned_by()[from.size()] == '.') {
      q.set_owned_by(to + q.owned_by().substr(from.size()));
    }
  }
}

// Every reference to relation `from` ("schema.name") by partitions and inheriting tables.
void RewriteParents(pb::PostgresSchema* s, const std::string& from, const std::string& to) {
  for (auto& [_, t] : *s->mutable_tables()) {
    if (t.partition_of().parent() == from) t.mutable_partition_of()->set_parent(to);
    for (auto& parent : *t.mutable_inherits()) {
      if (parent == from) parent = to;
    }
  }
}

void RewriteParentIndexes(pb::PostgresSchema* s, const std::string& from, const std::string& to) {
  for (auto& [_, t] : *s->mutable_tables()) {
    for (auto& i : *t.mutable_indexes()) {
      if (i.parent_index() == from) i.set_parent_index(to);
    }
  }
}

Status RenameTable(const pb::PgObjectRef& r, const std::string& to, pb::PostgresSchema* s) {
  const std::string from = PgKey(r.schema(), r.name());
  const std::string key = PgKey(r.schema(), to);
  if (s->views().count(key)) return Exists("view", key);
  STRATA_RETURN_IF_ERROR(
      Rekey(s->mutable_tables(), from, key, "table", [&to](pb::PgTable* t) { t->set_name(to); }));
  RewriteOwners(s, from, key);
  RewriteParents(s, from, key);
  return Status::Ok();
}

// The tables that take a column change made to `key`: its partitions and the tables that
// inherit from it (PostgreSQL recurses column changes into both).
std::vector<pb::PgTable*> ChildrenOf(pb::PostgresSchema* s, const std::string& key) {
  std::vector<pb::PgTable*> out;
  for (auto& [_, t] : *s->mutable_tables()) {
    bool child = t.partition_of().parent() == key;
    for (const auto& parent : t.inherits()) child = child || parent == key;
    if (child) out.push_back(&t);
  }
  return out;
}

Status RenameColumn(pb::PgTable* t, const std::string& from, const std::string& to,
                    pb::PostgresSchema* s) {
  const std::string key = PgKey(t->schema(), t->name());
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(t->columns(), "column", key, from));
  if (IndexByName(t->columns(), to) >= 0) return Exists("column", key + "." + to);
  // Children first, so a failure there leaves this table as it was; a child that no longer
  // has the column (or already has the new name) is left alone, as PostgreSQL leaves it.
  for (pb::PgTable* child : ChildrenOf(s, key)) {
    if (IndexByName(child->columns(), from) >= 0 && IndexByName(child->columns(), to) < 0) {
      STRATA_RETURN_IF_ERROR(RenameColumn(child, from, to, s));
    }
  }
  t->mutable_columns(i)->set_name(to);
  RewriteOwners(s, key + "." + from, key + "." + to);
  return Status::Ok();
}

Status RenameTablePart(const pb::PgObjectRef& r, const std::string& to, pb::PostgresSchema* s) {
  const std::string owner = PgKey(r.schema(), r.name());
  if (r.kind() == pb::PG_OBJECT_INDEX) {
    STRATA_ASSIGN_OR_RETURN(Indexes * indexes, FindIndexOwner(s, r.schema(), r.name()));
    STRATA_RETURN_IF_ERROR(RenamePart(indexes, "index", owner, r.sub(), to));
    RewriteParentIndexes(s, PgKey(r.schema(), r.sub()), PgKey(r.schema(), to));
    return Status::Ok();
  }
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, r.schema(), r.name()));
  switch (r.kind()) {
    case pb::PG_OBJECT_COLUMN: return RenameColumn(t, r.sub(), to, s);
    case pb::PG_OBJECT_CONSTRAINT:
      return RenamePart(t->mutable_constraints(), "constraint", owner, r.sub(), to);
    case pb::PG_OBJECT_TRIGGER:
      return RenamePart(t->mutable_triggers(), "trigger", owner, r.sub(), to);
    case pb::PG_OBJECT_POLICY:
      return RenamePart(t->mutable_policies(), "policy", owner, r.sub(), to);
    default: break;
  }
  return Status::InvalidArgument(
      fmt::format("postgres rename: a {} cannot be renamed", pb::PgObjectKind_Name(r.kind())));
}

// ALTER SCHEMA ... RENAME: the namespace and everything in it move.
Status RenameSchema(const std::string& from, const std::string& to, pb::PostgresSchema* s) {
  if (s->namespaces().count(to)) return Exists("schema", to);
  auto moved = [&](const std::string& schema) { return schema == from; };
  if (auto n = s->mutable_namespaces()->find(from); n != s->mutable_namespaces()->end()) {
    pb::PgNamespace ns = std::move(n->second);
    s->mutable_namespaces()->erase(n);
    ns.set_name(to);
    (*s->mutable_namespaces())[to] = std::move(ns);
  }
  auto move_all = [&](auto* map, auto key_of) {
    std::vector<std::string> keys;
    for (const auto& [k, o] : *map) {
      if (moved(o.schema())) keys.push_back(k);
    }
    for (const auto& k : keys) {
      auto o = std::move((*map)[k]);
      map->erase(k);
      o.set_schema(to);
      (*map)[key_of(o)] = std::move(o);
    }
  };
  auto relation_key = [](const auto& o) { return PgKey(o.schema(), o.name()); };
  std::vector<std::pair<std::string, std::string>> relations;
  for (const auto& [k, t] : s->tables()) {
    if (moved(t.schema())) relations.emplace_back(k, PgKey(to, t.name()));
  }
  move_all(s->mutable_tables(), relation_key);
  move_all(s->mutable_views(), relation_key);
  move_all(s->mutable_sequences(), relation_key);
  move_all(s->mutable_types(), relation_key);
  move_all(s->mutable_functions(), [](const pb::PgFunction& f) {
    return PgFunctionKey(f.schema(), f.name(), f.identity_arguments());
  });
  for (const auto& [from_key, to_key] : relations) {
    RewriteOwners(s, from_key, to_key);
    RewriteParents(s, from_key, to_key);
  }
  for (auto& [_, t] : *s->mutable_tables()) {
    for (auto& i : *t.mutable_indexes()) {
      const std::string prefix = from + ".";
      if (i.parent_index().compare(0, prefix.size(), prefix) == 0) {
        i.set_parent_index(to + "." + i.parent_index().substr(prefix.size()));
      }
    }
  }
  return Status::Ok();
}

Status Rename(const pb::PgRename& e, pb::PostgresSchema* s) {
  const auto& r = e.target();
  const std::string& to = e.new_name();
  switch (r.kind()) {
    case pb::PG_OBJECT_SCHEMA: return RenameSchema(r.name(), to, s);
    case pb::PG_OBJECT_TABLE: return RenameTable(r, to, s);
    case pb::PG_OBJECT_VIEW: {
      const std::string key = PgKey(r.schema(), to);
      if (s->tables().count(key)) return Exists("table", key);
      return Rekey(s->mutable_views(), PgKey(r.schema(), r.name()), key, "view",
                   [&to](pb::PgView* v) { v->set_name(to); });
    }
    case pb::PG_OBJECT_SEQUENCE:
      return Rekey(s->mutable_sequences(), PgKey(r.schema(), r.name()), PgKey(r.schema(), to),
                   "sequence", [&to](pb::PgSequence* q) { q->set_name(to); });
    case pb::PG_OBJECT_TYPE:
      return Rekey(s->mutable_types(), PgKey(r.schema(), r.name()), PgKey(r.schema(), to),
                   "type", [&to](pb::PgType* t) { t->set_name(to); });
    case pb::PG_OBJECT_FUNCTION:
      return Rekey(s->mutable_functions(), PgFunctionKey(r.schema(), r.name(), r.sub()),
                   PgFunctionKey(r.schema(), to, r.sub()), "function",
                   [&to](pb::PgFunction* f) { f->set_name(to); });
    default: return RenameTablePart(r, to, s);
  }
}

Status SetDefinition(const pb::PgSetDefinition& e, pb::PostgresSchema* s) {
  const auto& r = e.target();
  const std::string owner = PgKey(r.schema(), r.name());
  if (r.kind() == pb::PG_OBJECT_INDEX) {
    STRATA_ASSIGN_OR_RETURN(Indexes * indexes, FindIndexOwner(s, r.schema(), r.name()));
    STRATA_ASSIGN_OR_RETURN(int i, FindPart(*indexes, "index", owner, r.sub()));
    indexes->Mutable(i)->set_definition(e.definition());
    indexes->Mutable(i)->set_parent_index(e.parent_index());
    return Status::Ok();
  }
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, r.schema(), r.name()));
  if (r.kind() == pb::PG_OBJECT_CONSTRAINT) {
    STRATA_ASSIGN_OR_RETURN(int i, FindPart(t->constraints(), "constraint", owner, r.sub()));
    t->mutable_constraints(i)->set_definition(e.definition());
    return Status::Ok();
  }
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(t->triggers(), "trigger", owner, r.sub()));
  t->mutable_triggers(i)->set_definition(e.definition());
  return Status::Ok();
}

Status SetPartition(const pb::PgSetPartition& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
  if (e.partition_of().parent().empty()) {
    // DETACH also detaches the partition's indexes from the partitioned ones.
    t->clear_partition_of();
    for (auto& i : *t->mutable_indexes()) i.clear_parent_index();
  } else {
    *t->mutable_partition_of() = e.partition_of();
  }
  return Status::Ok();
}

}  // namespace

Status ApplyIdentityChange(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kRename: return Rename(c.rename(), s);
    case C::kSetDefinition: return SetDefinition(c.set_definition(), s);
    case C::kSetPartition: return SetPartition(c.set_partition(), s);
    case C::kCreateOther: {
      const auto& o = c.create_other().object();
      const std::string key = PgOtherKey(o);
      if (s->others().count(key)) return Exists(o.kind(), key);
      (*s->mutable_others())[key] = o;
      return Status::Ok();
    }
    case C::kReplaceOther: {
      const auto& o = c.replace_other().object();
      STRATA_ASSIGN_OR_RETURN(auto* existing, Find(s->mutable_others(), PgOtherKey(o), o.kind()));
      *existing = o;
      return Status::Ok();
    }
    case C::kDropOther: {
      const auto& e = c.drop_other();
      if (!s->mutable_others()->erase(PgOtherKey(e))) {
        return Status::NotFound(
            fmt::format("postgres {} {} does not exist", e.kind(), PgOtherKey(e)));
      }
      return Status::Ok();
    }
    default: break;
  }
  return Status::Internal("postgres change: no handler for " + c.ShortDebugString());
}

std::vector<pb::PgTable*> ColumnHeirs(pb::PostgresSchema* s, const std::string& key) {
  return ChildrenOf(s, key);
}

}  // namespace strata::pg_apply
