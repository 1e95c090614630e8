#include "adapters/postgres/capture_events.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/postgres_keys.h"

namespace strata::postgres {
namespace {

// "schema.name" split at the first dot (schema names with dots are quoted apart elsewhere;
// here both sides come from the same catalog, so the split only has to be consistent).
std::pair<std::string, std::string> Split(const std::string& key) {
  size_t dot = key.find('.');
  if (dot == std::string::npos) return {"", key};
  return {key.substr(0, dot), key.substr(dot + 1)};
}

pb::PgObjectRef Ref(pb::PgObjectKind kind, const std::string& schema, const std::string& name,
                    const std::string& sub = "") {
  pb::PgObjectRef r;
  r.set_kind(kind);
  r.set_schema(schema);
  r.set_name(name);
  r.set_sub(sub);
  return r;
}

class Pairing {
 public:
  Pairing(CatalogView before, CatalogView after)
      : before_(before), after_(after) {
    working_.set_engine(pb::ENGINE_POSTGRES);
    *working_.mutable_postgres() = before.schema;
    relation_key_ = before.identity.relations;
  }

  std::vector<pb::Event> Renames() {
    Schemas();
    Relations();
    Named(before_.identity.types, after_.identity.types, pb::PG_OBJECT_TYPE);
    Functions();
    Columns();
    Parts(before_.identity.indexes, after_.identity.indexes, pb::PG_OBJECT_INDEX);
    Parts(before_.identity.constraints, after_.identity.constraints, pb::PG_OBJECT_CONSTRAINT);
    Parts(before_.identity.triggers, after_.identity.triggers, pb::PG_OBJECT_TRIGGER);
    Parts(before_.identity.policies, after_.identity.policies, pb::PG_OBJECT_POLICY);
    return std::move(renames_);
  }

  const pb::SchemaState& working() const { return working_; }

 private:
  // Records the rename when it applies to the state so far; a rename the model cannot
  // follow (a name taken in between, as in a swap) is left to the diff.
  bool Emit(pb::PgObjectRef target, const std::string& new_name) {
    pb::Event e;
    auto* r = e.mutable_postgres()->mutable_rename();
    *r->mutable_target() = std::move(target);
    r->set_new_name(new_name);
    pb::SchemaState trial = working_;
    if (!Apply(e, &trial).ok()) return false;
    working_ = std::move(trial);
    renames_.push_back(std::move(e));
    return true;
  }

  void Schemas() {
    for (const auto& [oid, name] : before_.identity.namespaces) {
      auto it = after_.identity.namespaces.find(oid);
      if (it == after_.identity.namespaces.end() || it->second == name) continue;
      if (!Emit(Ref(pb::PG_OBJECT_SCHEMA, "", name), it->second)) continue;
      const std::string from = name + ".";
      for (auto& [_, key] : relation_key_) {
        if (key.compare(0, from.size(), from) == 0) key = it->second + "." + key.substr(from.size());
      }
      schema_renamed_[name] = it->second;
    }
  }

  std::string InSchemaNow(const std::string& key) const {
    auto [schema, name] = Split(key);
    auto it = schema_renamed_.find(schema);
    return it == schema_renamed_.end() ? key : it->second + "." + name;
  }

  pb::PgObjectKind RelationKind(const std::string& key) const {
    const auto& s = working_.postgres();
    if (s.tables().count(key)) return pb::PG_OBJECT_TABLE;
    if (s.views().count(key)) return pb::PG_OBJECT_VIEW;
    if (s.sequences().count(key)) return pb::PG_OBJECT_SEQUENCE;
    return pb::PG_OBJECT_KIND_UNSPECIFIED;
  }

  // A rename within one schema (SET SCHEMA has no event: it is diffed as a drop and a create).
  bool RenameWithin(pb::PgObjectKind kind, const std::string& from, const std::string& to) {
    auto [from_schema, from_name] = Split(from);
    auto [to_schema, to_name] = Split(to);
    if (from == to || from_schema != to_schema) return false;
    return Emit(Ref(kind, from_schema, from_name), to_name);
  }

  void Relations() {
    for (auto& [oid, key] : relation_key_) {
      auto it = after_.identity.relations.find(oid);
      if (it == after_.identity.relations.end()) continue;
      const pb::PgObjectKind kind = RelationKind(key);
      if (kind == pb::PG_OBJECT_KIND_UNSPECIFIED) continue;
      if (RenameWithin(kind, key, it->second)) key = it->second;
    }
  }

  void Named(const std::map<uint32_t, std::string>& a, const std::map<uint32_t, std::string>& b,
             pb::PgObjectKind kind) {
    for (const auto& [oid, key] : a) {
      auto it = b.find(oid);
      if (it != b.end()) RenameWithin(kind, InSchemaNow(key), it->second);
    }
  }

  // Functions keep their arguments across a rename; their keys are "schema.name(args)".
  void Functions() {
    for (const auto& [oid, key] : before_.identity.functions) {
      auto it = after_.identity.functions.find(oid);
      if (it == after_.identity.functions.end()) continue;
      const std::string now = InSchemaNow(key);
      const auto* f = Find(working_.postgres().functions(), now);
      const auto* g = Find(after_.schema.functions(), it->second);
      if (f == nullptr || g == nullptr || now == it->second) continue;
      if (f->schema() != g->schema() || f->identity_arguments() != g->identity_arguments()) continue;
      Emit(Ref(pb::PG_OBJECT_FUNCTION, f->schema(), f->name(), f->identity_arguments()), g->name());
    }
  }

  template <typename Map>
  static const typename Map::mapped_type* Find(const Map& map, const std::string& key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  }

  // How many parents above a table: a parent's column rename reaches its partitions, so
  // parents are paired first and the partitions' renames are then already done.
  int Depth(const std::string& key) const {
    int depth = 0;
    std::string at = key;
    while (depth < 64) {
      const auto* t = Find(working_.postgres().tables(), at);
      if (t == nullptr) break;
      if (!t->partition_of().parent().empty()) {
        at = t->partition_of().parent();
      } else if (t->inherits_size() > 0) {
        at = t->inherits(0);
      } else {
        break;
      }
      ++depth;
    }
    return depth;
  }

  void Columns() {
    struct Renamed {
      int depth;
      std::string table;
      std::string from, to;
    };
    std::vector<Renamed> todo;
    for (const auto& [at, name] : before_.identity.columns) {
      auto it = after_.identity.columns.find(at);
      if (it == after_.identity.columns.end() || it->second == name) continue;
      auto key = relation_key_.find(at.first);
      if (key == relation_key_.end()) continue;
      todo.push_back({Depth(key->second), key->second, name, it->second});
    }
    std::stable_sort(todo.begin(), todo.end(),
                     [](const Renamed& x, const Renamed& y) { return x.depth < y.depth; });
    for (const Renamed& r : todo) {
      const auto* t = Find(working_.postgres().tables(), r.table);
      if (t == nullptr) continue;
      bool has_from = false, has_to = false;
      for (const auto& c : t->columns()) {
        has_from |= c.name() == r.from;
        has_to |= c.name() == r.to;
      }
      if (!has_from || has_to) continue;  // done along with its parent's
      auto [schema, name] = Split(r.table);
      Emit(Ref(pb::PG_OBJECT_COLUMN, schema, name, r.from), r.to);
    }
  }

  void Parts(const std::map<uint32_t, CatalogIdentity::Part>& a,
             const std::map<uint32_t, CatalogIdentity::Part>& b, pb::PgObjectKind kind) {
    for (const auto& [oid, part] : a) {
      auto it = b.find(oid);
      if (it == b.end() || it->second.name == part.name) continue;
      if (it->second.relation != part.relation) continue;
      auto key = relation_key_.find(part.relation);
      if (key == relation_key_.end()) continue;
      auto [schema, name] = Split(key->second);
      Emit(Ref(kind, schema, name, part.name), it->second.name);
    }
  }

  const CatalogView before_;
  const CatalogView after_;
  pb::SchemaState working_;
  std::map<uint32_t, std::string> relation_key_;  // oid -> key in working_
  std::map<std::string, std::string> schema_renamed_;
  std::vector<pb::Event> renames_;
};

// The OID an index, constraint or trigger of table `table` named `name` has in `identity`.
uint32_t PartOid(const std::map<uint32_t, CatalogIdentity::Part>& parts,
                 const std::map<uint32_t, std::string>& relations, const std::string& table,
                 const std::string& name) {
  for (const auto& [oid, part] : parts) {
    if (part.name != name) continue;
    auto rel = relations.find(part.relation);
    if (rel != relations.end() && rel->second == table) return oid;
  }
  return 0;
}

struct PartEvent {
  pb::PgObjectKind kind = pb::PG_OBJECT_KIND_UNSPECIFIED;
  std::string schema, table, name, definition;
  bool create = false;
  std::string parent_index;
};

PartEvent PartOf(const pb::Event& e) {
  const auto& c = e.postgres();
  PartEvent p;
  if (c.has_drop_index()) {
    p = {pb::PG_OBJECT_INDEX, c.drop_index().schema(), c.drop_index().table(),
         c.drop_index().index(), "", false, ""};
  } else if (c.has_create_index()) {
    p = {pb::PG_OBJECT_INDEX, c.create_index().schema(), c.create_index().table(),
         c.create_index().index().name(), c.create_index().index().definition(), true,
         c.create_index().index().parent_index()};
  } else if (c.has_drop_constraint()) {
    p = {pb::PG_OBJECT_CONSTRAINT, c.drop_constraint().schema(), c.drop_constraint().table(),
         c.drop_constraint().constraint(), "", false, ""};
  } else if (c.has_add_constraint()) {
    p = {pb::PG_OBJECT_CONSTRAINT, c.add_constraint().schema(), c.add_constraint().table(),
         c.add_constraint().constraint().name(), c.add_constraint().constraint().definition(),
         true, ""};
  } else if (c.has_drop_trigger()) {
    p = {pb::PG_OBJECT_TRIGGER, c.drop_trigger().schema(), c.drop_trigger().table(),
         c.drop_trigger().trigger(), "", false, ""};
  } else if (c.has_create_trigger()) {
    p = {pb::PG_OBJECT_TRIGGER, c.create_trigger().schema(), c.create_trigger().table(),
         c.create_trigger().trigger().name(), c.create_trigger().trigger().definition(), true,
         ""};
  }
  return p;
}

const std::map<uint32_t, CatalogIdentity::Part>& PartsOf(const CatalogIdentity& id,
                                                         pb::PgObjectKind kind) {
  if (kind == pb::PG_OBJECT_INDEX) return id.indexes;
  if (kind == pb::PG_OBJECT_CONSTRAINT) return id.constraints;
  return id.triggers;
}

// A drop and a create of the same part that kept its OID become one SetDefinition, at the
// create's place, when only the definition (or an index's partitioned parent) differs.
// `*substituted` says whether any pair was replaced.
std::vector<pb::Event> Redefined(std::vector<pb::Event> events, CatalogView before,
                                 CatalogView after, bool* substituted) {
  std::map<std::string, size_t> drops;  // "kind/schema.table/name" -> index of the drop
  auto id = [](const PartEvent& p) {
    return fmt::format("{}/{}.{}/{}", static_cast<int>(p.kind), p.schema, p.table, p.name);
  };
  for (size_t i = 0; i < events.size(); ++i) {
    PartEvent p = PartOf(events[i]);
    if (p.kind != pb::PG_OBJECT_KIND_UNSPECIFIED && !p.create) drops[id(p)] = i;
  }
  std::set<size_t> removed;
  for (size_t i = 0; i < events.size(); ++i) {
    PartEvent p = PartOf(events[i]);
    if (p.kind == pb::PG_OBJECT_KIND_UNSPECIFIED || !p.create) continue;
    auto drop = drops.find(id(p));
    if (drop == drops.end()) continue;
    const std::string table = PgKey(p.schema, p.table);
    // After the renames a part has its final name; the same OID on both sides means the
    // server kept the object and only its text changed.
    const uint32_t oid =
        PartOid(PartsOf(after.identity, p.kind), after.identity.relations, table, p.name);
    if (oid == 0 || !PartsOf(before.identity, p.kind).count(oid)) continue;
    pb::Event e;
    auto* d = e.mutable_postgres()->mutable_set_definition();
    *d->mutable_target() = Ref(p.kind, p.schema, p.table, p.name);
    d->set_definition(p.definition);
    d->set_parent_index(p.parent_index);
    events[i] = std::move(e);
    removed.insert(drop->second);
  }
  *substituted = !removed.empty();
  std::vector<pb::Event> out;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!removed.count(i)) out.push_back(std::move(events[i]));
  }
  return out;
}

}  // namespace

Result<std::vector<pb::Event>> MigrationEvents(CatalogView before, CatalogView after) {
  Pairing pairing(before, after);
  std::vector<pb::Event> events = pairing.Renames();
  pb::SchemaState target;
  target.set_engine(pb::ENGINE_POSTGRES);
  *target.mutable_postgres() = after.schema;
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> rest, Diff(pairing.working(), target));
  bool substituted = false;
  std::vector<pb::Event> redefined = Redefined(rest, before, after, &substituted);
  if (substituted) {
    // A redefinition in place must still lead to `after`; if a comment or another attribute
    // changed with the definition, the plain diff is kept.
    pb::SchemaState check = pairing.working();
    bool ok = true;
    for (const auto& e : redefined) ok = ok && Apply(e, &check).ok();
    if (ok && google::protobuf::util::MessageDifferencer::Equals(check, target)) {
      rest = std::move(redefined);
    }
  }
  for (auto& e : rest) events.push_back(std::move(e));
  return events;
}

}  // namespace strata::postgres
