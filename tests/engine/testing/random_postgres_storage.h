// Seeded random values for what PostgreSQL keeps beside a relation's columns: persistence,
// storage parameters, inheritance parents, foreign-table specs, view options; and for the
// objects outside namespaces (foreign servers, event triggers) and aggregates. RandomPostgres
// (random_glue_postgres.h) calls these with itself as `r`: any type with Int, Chance, Pick,
// Distinct and MaybeText works. Every value is valid for the engine; lists sorted where the
// model sorts them happen in the caller's canonicalization.
#pragma once

#include <string>
#include <vector>

#include "engine/state/postgres_keys.h"
#include "proto/commit.pb.h"

namespace strata::testing {

// "key=value" for `count` distinct keys of `keys`, each with a value from `values`.
template <typename Rnd>
std::vector<std::string> RandomOptions(Rnd& r, const std::vector<std::string>& keys,
                                       const std::vector<std::string>& values, int count) {
  std::vector<std::string> out;
  for (const auto& key : r.Distinct(keys, count)) out.push_back(key + "=" + r.Pick(values));
  return out;
}

template <typename Rnd>
void RandomForeignSpec(Rnd& r, pb::PgTable* t) {
  auto* f = t->mutable_foreign();
  f->set_server(r.Name("srv", 2));
  f->clear_options();
  for (const auto& o : RandomOptions(r, {"table_name", "schema_name", "updatable"},
                                     {"remote", "x", "false"}, r.Int(0, 2))) {
    f->add_options(o);
  }
}

template <typename Rnd>
void RandomStorageOptions(Rnd& r, pb::PgTable* t) {
  t->clear_options();
  for (const auto& o : RandomOptions(
           r, {"fillfactor", "autovacuum_enabled", "toast.autovacuum_enabled", "parallel_workers"},
           {"70", "false", "2"}, r.Int(0, 2))) {
    t->add_options(o);
  }
}

// Parents from a schema the generator puts no tables in: a child here does not hold its
// parents' columns as on a real server, so a parent that existed would pass its column changes
// on (apply recurses them) to a child that cannot take them. Trees of tables that hold their
// parents' columns are in postgres_diff_storage_test.cc.
template <typename Rnd>
void RandomInherits(Rnd& r, pb::PgTable* t) {
  t->clear_inherits();
  if (!r.Chance(25)) return;
  for (const auto& p : r.Distinct({"base.p0", "base.p1", "base.p2"}, r.Int(1, 2))) {
    t->add_inherits(p);
  }
}

// A plain table (sometimes unlogged, with storage options) or, now and then, a foreign one.
template <typename Rnd>
void RandomTableStorage(Rnd& r, pb::PgTable* t) {
  t->clear_unlogged();
  t->clear_options();
  t->clear_foreign();
  if (r.Chance(15)) {
    RandomForeignSpec(r, t);
  } else {
    t->set_unlogged(r.Chance(20));
    RandomStorageOptions(r, t);
  }
  RandomInherits(r, t);
}

template <typename Rnd>
void MutateTableStorage(Rnd& r, pb::PgTable* t) {
  const bool foreign = !t->foreign().server().empty();
  switch (r.Int(0, 3)) {
    case 0:
      if (!foreign) t->set_unlogged(!t->unlogged());
      break;
    case 1:
      if (foreign) RandomForeignSpec(r, t);
      else RandomStorageOptions(r, t);
      break;
    case 2: RandomInherits(r, t); break;
    case 3: RandomTableStorage(r, t); break;  // may turn it foreign or back
  }
}

template <typename Rnd>
void RandomViewOptions(Rnd& r, pb::PgView* v) {
  v->clear_options();
  const auto options =
      v->materialized()
          ? RandomOptions(r, {"fillfactor", "autovacuum_enabled"}, {"70", "false"}, r.Int(0, 1))
          : RandomOptions(r, {"security_barrier", "security_invoker"}, {"true", "false"},
                          r.Int(0, 2));
  for (const auto& o : options) v->add_options(o);
  if (!v->materialized() && r.Chance(30)) {
    v->add_options(r.Chance(50) ? "check_option=local" : "check_option=cascaded");
  }
}

template <typename Rnd>
void MakeAggregate(Rnd& r, pb::PgFunction* f) {
  f->set_aggregate(true);
  f->set_definition("CREATE OR REPLACE AGGREGATE " + f->schema() + "." + f->name() + "(" +
                    f->identity_arguments() + ") (SFUNC = int4pl, STYPE = integer" +
                    (r.Chance(50) ? ", INITCOND = ''" : "") + ")");
}

template <typename Rnd>
pb::PgEventTrigger RandomEventTrigger(Rnd& r, const std::string& name) {
  pb::PgEventTrigger e;
  e.set_name(name);
  e.set_event(r.Pick(std::vector<std::string>{"ddl_command_start", "ddl_command_end", "sql_drop",
                                              "table_rewrite"}));
  e.set_function("app.f" + std::to_string(r.Int(0, 2)) + "()");
  for (const auto& tag : r.Distinct({"CREATE TABLE", "DROP TABLE", "ALTER TABLE"}, r.Int(0, 2))) {
    e.add_tags(tag);
  }
  e.set_enabled(r.Pick(std::vector<std::string>{"O", "O", "D", "R", "A"}));
  e.set_comment(r.MaybeText("event trigger"));
  return e;
}

template <typename Rnd>
pb::PgForeignServer RandomForeignServer(Rnd& r, const std::string& name) {
  pb::PgForeignServer s;
  s.set_name(name);
  s.set_wrapper(r.Pick(std::vector<std::string>{"postgres_fdw", "file_fdw"}));
  if (r.Chance(30)) s.set_type("pg");
  if (r.Chance(30)) s.set_version(std::to_string(r.Int(14, 16)));
  for (const auto& o :
       RandomOptions(r, {"host", "port", "dbname"}, {"db.example", "5432", "app"}, r.Int(0, 3))) {
    s.add_options(o);
  }
  s.set_comment(r.MaybeText("server"));
  return s;
}

template <typename Rnd>
void AddEventTrigger(Rnd& r, pb::PostgresSchema* s) {
  const std::string name = r.Name("evt", 3);
  (*s->mutable_event_triggers())[name] = RandomEventTrigger(r, name);
}

template <typename Rnd>
void AddForeignServer(Rnd& r, pb::PostgresSchema* s) {
  const std::string name = r.Name("srv", 2);
  (*s->mutable_foreign_servers())[name] = RandomForeignServer(r, name);
}

// One edit of the objects outside namespaces: a new one, a drop, a comment or a whole change.
template <typename Rnd>
void MutateServersAndEventTriggers(Rnd& r, pb::PostgresSchema* s) {
  switch (r.Int(0, 5)) {
    case 0: AddEventTrigger(r, s); break;
    case 1: r.DropSome(s->mutable_event_triggers()); break;
    case 2:
      r.EditSome(s->mutable_event_triggers(), [&r](pb::PgEventTrigger* e) {
        if (r.Chance(50)) e->set_comment(r.MaybeText("changed"));
        else e->set_enabled(e->enabled() == "D" ? "O" : "D");
      });
      break;
    case 3: AddForeignServer(r, s); break;
    case 4: r.DropSome(s->mutable_foreign_servers()); break;
    case 5:
      r.EditSome(s->mutable_foreign_servers(), [&r](pb::PgForeignServer* f) {
        if (r.Chance(50)) f->set_comment(r.MaybeText("changed"));
        else f->add_options("o" + std::to_string(f->options_size()) + "=1");
      });
      break;
  }
}

}  // namespace strata::testing
