// Apply for a table's storage (UNLOGGED, storage parameters), legacy inheritance and foreign
// table spec, a view's options, and the objects outside namespaces: event triggers and foreign
// servers (keyed by name).
//
// A table's kind is fixed once created: SetForeignTable changes the server or options of a
// foreign table, and a table becomes foreign (or stops being so) only by a drop and a create,
// as on the server, where they are different relation kinds. So is a routine's: an aggregate
// is not replaced by a function, nor the reverse.
#include <fmt/format.h>

#include <algorithm>

#include "engine/state/postgres_apply_internal.h"

namespace strata::pg_apply {
namespace {

bool IsForeign(const pb::PgTable& t) { return !t.foreign().server().empty(); }

template <typename Event>
std::string TableKey(const Event& e) {
  return PgKey(e.schema(), e.table());
}

Status SetTableStorage(const pb::PgSetTableStorage& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
  if (IsForeign(*t) && (e.unlogged() || e.options_size() > 0)) {
    return Status::InvalidArgument(fmt::format(
        "postgres set_table_storage {}: a foreign table has no storage of its own", TableKey(e)));
  }
  t->set_unlogged(e.unlogged());
  *t->mutable_options() = e.options();
  std::sort(t->mutable_options()->begin(), t->mutable_options()->end());
  return Status::Ok();
}

Status SetInherits(const pb::PgSetInherits& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
  *t->mutable_inherits() = e.parents();
  return Status::Ok();
}

Status SetForeignTable(const pb::PgSetForeignTable& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
  if (!IsForeign(*t)) {
    return Status::InvalidArgument(
        fmt::format("postgres set_foreign_table {}: not a foreign table (a table becomes foreign "
                    "by a drop and a create)",
                    TableKey(e)));
  }
  *t->mutable_foreign() = e.foreign();
  return Status::Ok();
}

Status SetViewOptions(const pb::PgSetViewOptions& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgView * v,
                          Find(s->mutable_views(), PgKey(e.schema(), e.view()), "view"));
  *v->mutable_options() = e.options();
  std::sort(v->mutable_options()->begin(), v->mutable_options()->end());
  return Status::Ok();
}

}  // namespace

Status CheckRoutineKindKept(const pb::PgFunction& f, const pb::PostgresSchema& s) {
  const std::string key = PgFunctionKey(f.schema(), f.name(), f.identity_arguments());
  auto it = s.functions().find(key);
  if (it == s.functions().end() || it->second.aggregate() == f.aggregate()) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "postgres replace_function {}: aggregate cannot change (drop and create the function)",
      key));
}

Status ApplyStorage(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  constexpr std::string_view kTrigger = "event trigger";
  constexpr std::string_view kServer = "foreign server";
  switch (c.kind_case()) {
    case C::kSetTableStorage: return SetTableStorage(c.set_table_storage(), s);
    case C::kSetInherits: return SetInherits(c.set_inherits(), s);
    case C::kSetForeignTable: return SetForeignTable(c.set_foreign_table(), s);
    case C::kSetViewOptions: return SetViewOptions(c.set_view_options(), s);
    case C::kCreateEventTrigger: {
      const auto& e = c.create_event_trigger().trigger();
      return Create(s->mutable_event_triggers(), e.name(), e, kTrigger);
    }
    case C::kReplaceEventTrigger: {
      const auto& e = c.replace_event_trigger().trigger();
      return Replace(s->mutable_event_triggers(), e.name(), e, kTrigger);
    }
    case C::kDropEventTrigger:
      return Drop(s->mutable_event_triggers(), c.drop_event_trigger().name(), kTrigger);
    case C::kCreateForeignServer: {
      const auto& e = c.create_foreign_server().server();
      return Create(s->mutable_foreign_servers(), e.name(), e, kServer);
    }
    case C::kAlterForeignServer: {
      const auto& e = c.alter_foreign_server().server();
      return Replace(s->mutable_foreign_servers(), e.name(), e, kServer);
    }
    case C::kDropForeignServer:
      return Drop(s->mutable_foreign_servers(), c.drop_foreign_server().name(), kServer);
    default: break;
  }
  return Status::Internal("postgres change: no storage handler for " + c.ShortDebugString());
}

}  // namespace strata::pg_apply
