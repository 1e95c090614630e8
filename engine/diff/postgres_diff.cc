// Diff for PostgreSQL, in an order the server can follow:
//   1. new namespaces (the implicit "public" only ever changes its comment and ACL), default
//      privileges, new extensions, types, sequences and functions, and changes to them
//      (tables and views may use any of these; a function that becomes an aggregate or stops
//      being one is dropped first), then foreign servers and event triggers;
//   2. drops of removed views and of views that change between plain and materialized
//      (they depend on tables);
//   3. every table change (postgres_diff_table.cc);
//   4. new, replaced and re-indexed views;
//   5. drops of removed event triggers and foreign servers, then of functions, sequences,
//      types and extensions, then namespaces (a namespace is dropped after everything in it).
// Within each step objects go in key order. An object whose only change is its comment gets
// a SetComment; a change of its privileges a SetAcl; any other change replaces it whole
// (AlterType, AlterSequence, ...) with its privileges as they were.
#include "engine/diff/diff.h"
#include "engine/diff/postgres_diff_internal.h"
#include "engine/state/apply.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;
using pg_diff::CreateOrAlter;
using pg_diff::DropRemoved;
using pg_diff::NewChange;
using pg_diff::Ref;

struct NamespaceKind {
  static void Create(const pb::PgNamespace& n, pb::PostgresChange* c) {
    *c->mutable_create_schema()->mutable_schema() = n;
  }
  // A namespace has nothing but its comment to alter (SameButComment always holds first).
  static void Alter(const pb::PgNamespace& n, pb::PostgresChange* c) {
    *c->mutable_set_comment()->mutable_target() = Ref(pb::PG_OBJECT_SCHEMA, "", n.name());
    c->mutable_set_comment()->set_comment(n.comment());
  }
  static void Drop(const pb::PgNamespace& n, pb::PostgresChange* c) {
    c->mutable_drop_schema()->set_schema(n.name());
  }
  static pb::PgObjectRef RefTo(const pb::PgNamespace& n) {
    return Ref(pb::PG_OBJECT_SCHEMA, "", n.name());
  }
};

struct ExtensionKind {
  static void Create(const pb::PgExtension& x, pb::PostgresChange* c) {
    *c->mutable_create_extension()->mutable_extension() = x;
  }
  static void Alter(const pb::PgExtension& x, pb::PostgresChange* c) {
    *c->mutable_alter_extension()->mutable_extension() = x;
  }
  static void Drop(const pb::PgExtension& x, pb::PostgresChange* c) {
    c->mutable_drop_extension()->set_extension(x.name());
  }
  static pb::PgObjectRef RefTo(const pb::PgExtension& x) {
    return Ref(pb::PG_OBJECT_EXTENSION, "", x.name());
  }
};

struct TypeKind {
  static void Create(const pb::PgType& t, pb::PostgresChange* c) {
    *c->mutable_create_type()->mutable_type() = t;
  }
  static void Alter(const pb::PgType& t, pb::PostgresChange* c) {
    *c->mutable_alter_type()->mutable_type() = t;
  }
  static void Drop(const pb::PgType& t, pb::PostgresChange* c) {
    c->mutable_drop_type()->set_schema(t.schema());
    c->mutable_drop_type()->set_type(t.name());
  }
  static pb::PgObjectRef RefTo(const pb::PgType& t) {
    return Ref(pb::PG_OBJECT_TYPE, t.schema(), t.name());
  }
};

struct SequenceKind {
  static void Create(const pb::PgSequence& s, pb::PostgresChange* c) {
    *c->mutable_create_sequence()->mutable_sequence() = s;
  }
  static void Alter(const pb::PgSequence& s, pb::PostgresChange* c) {
    *c->mutable_alter_sequence()->mutable_sequence() = s;
  }
  static void Drop(const pb::PgSequence& s, pb::PostgresChange* c) {
    c->mutable_drop_sequence()->set_schema(s.schema());
    c->mutable_drop_sequence()->set_sequence(s.name());
  }
  static pb::PgObjectRef RefTo(const pb::PgSequence& s) {
    return Ref(pb::PG_OBJECT_SEQUENCE, s.schema(), s.name());
  }
};

struct FunctionKind {
  static void Create(const pb::PgFunction& f, pb::PostgresChange* c) {
    *c->mutable_create_function()->mutable_function() = f;
  }
  static void Alter(const pb::PgFunction& f, pb::PostgresChange* c) {
    *c->mutable_replace_function()->mutable_function() = f;
  }
  static void Drop(const pb::PgFunction& f, pb::PostgresChange* c) {
    auto* e = c->mutable_drop_function();
    e->set_schema(f.schema());
    e->set_name(f.name());
    e->set_identity_arguments(f.identity_arguments());
  }
  static pb::PgObjectRef RefTo(const pb::PgFunction& f) {
    return Ref(pb::PG_OBJECT_FUNCTION, f.schema(), f.name(), f.identity_arguments());
  }
};

// Whether PostgreSQL makes a change of this kind to a parent table in its partitions and
// inheriting tables too (the engine's apply recurses the same ones).
bool Recurses(const pb::Event& e) {
  using C = pb::PostgresChange;
  switch (e.postgres().kind_case()) {
    case C::kAddColumn:
    case C::kDropColumn:
    case C::kAlterColumnType:
    case C::kSetColumnNotNull:
    case C::kSetColumnDefault: return true;
    default: return false;
  }
}

// The recursing column changes of tables that have partitions or inheriting tables in both
// states: made once on the parent, they reach the children by themselves.
std::vector<pb::Event> ParentColumnChanges(const pb::PostgresSchema& a,
                                           const pb::PostgresSchema& b) {
  std::set<std::string> parents;
  for (const auto& [_, t] : a.tables()) {
    if (!t.partition_of().parent().empty()) parents.insert(t.partition_of().parent());
    for (const auto& p : t.inherits()) parents.insert(p);
  }
  std::vector<pb::Event> out;
  for (const auto& key : parents) {
    auto in_a = a.tables().find(key);
    auto in_b = b.tables().find(key);
    if (in_a == a.tables().end() || in_b == b.tables().end()) continue;
    std::vector<pb::Event> columns;
    pg_diff::DiffColumns(in_a->second, in_b->second, &columns);
    for (auto& e : columns) {
      if (Recurses(e)) out.push_back(std::move(e));
    }
  }
  return out;
}

// The fallback objects: kept as definition text, replaced whole when the text changes.
void CreateOrReplaceOthers(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                           std::vector<pb::Event>* out) {
  for (const auto& key : pg_diff::SortedKeys(a.others(), b.others())) {
    auto in_a = a.others().find(key);
    auto in_b = b.others().find(key);
    if (in_b == b.others().end()) continue;
    if (in_a == a.others().end()) {
      *NewChange(out)->mutable_create_other()->mutable_object() = in_b->second;
    } else if (!MessageDifferencer::Equals(in_a->second, in_b->second)) {
      *NewChange(out)->mutable_replace_other()->mutable_object() = in_b->second;
    }
  }
}

void DropOthers(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                std::vector<pb::Event>* out) {
  for (const auto& [key, o] : a.others()) {
    if (b.others().count(key)) continue;
    auto* e = NewChange(out)->mutable_drop_other();
    e->set_kind(o.kind());
    e->set_schema(o.schema());
    e->set_name(o.name());
  }
}

void DiffPlain(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
               std::vector<pb::Event>* out) {
  const auto a_namespaces = pg_diff::WithoutImplicitNamespace(a.namespaces());
  const auto b_namespaces = pg_diff::WithoutImplicitNamespace(b.namespaces());
  CreateOrAlter<NamespaceKind>(a_namespaces, b_namespaces, out);
  pg_diff::DiffImplicitNamespace(a.namespaces(), b.namespaces(), out);
  pg_diff::DiffDefaultPrivileges(a.default_privileges(), b.default_privileges(), out);
  CreateOrAlter<ExtensionKind>(a.extensions(), b.extensions(), out);
  CreateOrAlter<TypeKind>(a.types(), b.types(), out);
  CreateOrAlter<SequenceKind>(a.sequences(), b.sequences(), out);
  pg_diff::Functions rekinded;
  const pg_diff::Functions& functions =
      pg_diff::DropRekindedFunctions(a.functions(), b.functions(), &rekinded, out);
  CreateOrAlter<FunctionKind>(functions, b.functions(), out);
  pg_diff::CreateAndAlterServersAndEventTriggers(a, b, out);
  pg_diff::DropViews(a.views(), b.views(), out);
  pg_diff::DiffTables(a.tables(), b.tables(), out);
  pg_diff::CreateAndAlterViews(a.views(), b.views(), out);
  pg_diff::DropEventTriggersAndServers(a, b, out);
  CreateOrReplaceOthers(a, b, out);
  DropOthers(a, b, out);
  DropRemoved<FunctionKind>(a.functions(), b.functions(), out);
  DropRemoved<SequenceKind>(a.sequences(), b.sequences(), out);
  DropRemoved<TypeKind>(a.types(), b.types(), out);
  DropRemoved<ExtensionKind>(a.extensions(), b.extensions(), out);
  DropRemoved<NamespaceKind>(a_namespaces, b_namespaces, out);
}

}  // namespace

// Column changes of parent tables go first, applied to a copy of `a` (which carries them into
// the children), and everything else is diffed from there: adding a column to a table of 54
// partitions reads as one change, not 55.
void DiffPostgres(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                  std::vector<pb::Event>* out) {
  std::vector<pb::Event> inherited = ParentColumnChanges(a, b);
  if (!inherited.empty()) {
    pb::PostgresSchema recursed = a;
    bool applied = true;
    for (const auto& e : inherited) applied = applied && ApplyPostgres(e.postgres(), &recursed).ok();
    if (applied) {
      for (auto& e : inherited) out->push_back(std::move(e));
      DiffPlain(recursed, b, out);
      return;
    }
  }
  DiffPlain(a, b, out);
}

}  // namespace strata
