// Diff of what PostgreSQL keeps beside a relation's columns and parts: a table's persistence and
// storage parameters (one SetTableStorage for both, as ALTER TABLE SET LOGGED/UNLOGGED and SET
// (...) are both storage), its legacy inheritance parents, a foreign table's server and options,
// a view's options; and of the objects outside namespaces, foreign servers and event triggers,
// which change whole (AlterForeignServer, ReplaceEventTrigger) unless only their comment does.
#include <algorithm>

#include "engine/diff/diff.h"
#include "engine/diff/postgres_diff_internal.h"

namespace strata::pg_diff {
namespace {

using google::protobuf::util::MessageDifferencer;
using Strings = google::protobuf::RepeatedPtrField<std::string>;

bool Same(const Strings& a, const Strings& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

bool IsForeign(const pb::PgTable& t) { return !t.foreign().server().empty(); }

struct EventTriggerKind {
  static void Create(const pb::PgEventTrigger& e, pb::PostgresChange* c) {
    *c->mutable_create_event_trigger()->mutable_trigger() = e;
  }
  static void Alter(const pb::PgEventTrigger& e, pb::PostgresChange* c) {
    *c->mutable_replace_event_trigger()->mutable_trigger() = e;
  }
  static void Drop(const pb::PgEventTrigger& e, pb::PostgresChange* c) {
    c->mutable_drop_event_trigger()->set_name(e.name());
  }
  static pb::PgObjectRef RefTo(const pb::PgEventTrigger& e) {
    return Ref(pb::PG_OBJECT_EVENT_TRIGGER, "", e.name());
  }
};

struct ForeignServerKind {
  static void Create(const pb::PgForeignServer& s, pb::PostgresChange* c) {
    *c->mutable_create_foreign_server()->mutable_server() = s;
  }
  static void Alter(const pb::PgForeignServer& s, pb::PostgresChange* c) {
    *c->mutable_alter_foreign_server()->mutable_server() = s;
  }
  static void Drop(const pb::PgForeignServer& s, pb::PostgresChange* c) {
    c->mutable_drop_foreign_server()->set_name(s.name());
  }
  static pb::PgObjectRef RefTo(const pb::PgForeignServer& s) {
    return Ref(pb::PG_OBJECT_FOREIGN_SERVER, "", s.name());
  }
};

}  // namespace

bool TableRecreated(const pb::PgTable& a, const pb::PgTable& b) {
  return IsForeign(a) != IsForeign(b);
}

void DiffTableStorage(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  if (a.unlogged() != b.unlogged() || !Same(a.options(), b.options())) {
    auto* e = NewChange(out)->mutable_set_table_storage();
    e->set_schema(b.schema());
    e->set_table(b.name());
    e->set_unlogged(b.unlogged());
    *e->mutable_options() = b.options();
  }
  if (!MessageDifferencer::Equals(a.foreign(), b.foreign())) {
    auto* e = NewChange(out)->mutable_set_foreign_table();
    e->set_schema(b.schema());
    e->set_table(b.name());
    *e->mutable_foreign() = b.foreign();
  }
}

void DiffInherits(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  if (Same(a.inherits(), b.inherits())) return;
  auto* e = NewChange(out)->mutable_set_inherits();
  e->set_schema(b.schema());
  e->set_table(b.name());
  *e->mutable_parents() = b.inherits();
}

void DiffViewOptions(const pb::PgView& a, const pb::PgView& b, std::vector<pb::Event>* out) {
  if (Same(a.options(), b.options())) return;
  auto* e = NewChange(out)->mutable_set_view_options();
  e->set_schema(b.schema());
  e->set_view(b.name());
  *e->mutable_options() = b.options();
}

const Functions& DropRekindedFunctions(const Functions& a, const Functions& b, Functions* scratch,
                                       std::vector<pb::Event>* out) {
  std::vector<std::string> rekinded;
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_a == a.end() || in_b == b.end()) continue;
    if (in_a->second.aggregate() != in_b->second.aggregate()) rekinded.push_back(key);
  }
  if (rekinded.empty()) return a;
  *scratch = a;
  for (const auto& key : rekinded) {
    const pb::PgFunction& f = a.at(key);
    auto* e = NewChange(out)->mutable_drop_function();
    e->set_schema(f.schema());
    e->set_name(f.name());
    e->set_identity_arguments(f.identity_arguments());
    scratch->erase(key);
  }
  return *scratch;
}

void CreateAndAlterServersAndEventTriggers(const pb::PostgresSchema& a,
                                           const pb::PostgresSchema& b,
                                           std::vector<pb::Event>* out) {
  CreateOrAlter<ForeignServerKind>(a.foreign_servers(), b.foreign_servers(), out);
  CreateOrAlter<EventTriggerKind>(a.event_triggers(), b.event_triggers(), out);
}

void DropEventTriggersAndServers(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                                 std::vector<pb::Event>* out) {
  DropRemoved<EventTriggerKind>(a.event_triggers(), b.event_triggers(), out);
  DropRemoved<ForeignServerKind>(a.foreign_servers(), b.foreign_servers(), out);
}

}  // namespace strata::pg_diff
