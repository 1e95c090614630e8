// Seeded random Glue and PostgreSQL schemas for property tests: canonical, valid states, and
// mutations of them that exercise every kind of change (adds, drops, renames as drop + add,
// type changes, reorders, comments, parameters, partition keys, definitions, and PostgreSQL's
// row-level security, policies, privileges and default privileges).
#pragma once

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_keys.h"
#include "tests/engine/testing/random_postgres_storage.h"
#include "engine/state/postgres_security.h"
#include "proto/commit.pb.h"

namespace strata::testing {

class RandomBase {
 public:
  explicit RandomBase(uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Int(0, static_cast<int>(v.size()) - 1)]; }
  std::string Name(const std::string& prefix, int n) {
    return prefix + std::to_string(Int(0, n - 1));
  }
  // A short text that is empty a third of the time (comments, descriptions).
  std::string MaybeText(const std::string& prefix) {
    return Chance(33) ? "" : prefix + " " + std::to_string(Int(0, 4));
  }
  template <typename Repeated>
  void Shuffle(Repeated* items) {
    for (int i = items->size() - 1; i > 0; --i) items->SwapElements(i, Int(0, i));
  }
  // `count` distinct names from `pool`, in random order.
  std::vector<std::string> Distinct(std::vector<std::string> pool, int count) {
    std::shuffle(pool.begin(), pool.end(), rng_);
    pool.resize(std::min<size_t>(pool.size(), count));
    return pool;
  }

 private:
  std::mt19937_64 rng_;
};

// ---- Glue ------------------------------------------------------------------------------

class RandomGlue : public RandomBase {
 public:
  using RandomBase::RandomBase;

  static std::vector<std::string> ColumnPool() {
    return {"id", "name", "amount", "ts", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"};
  }
  static std::vector<std::string> PartitionPool() { return {"dt", "region", "hour"}; }

  std::string Type() {
    return Pick<std::string>({"int", "bigint", "string", "double", "boolean", "timestamp",
                              "decimal(10,2)", "array<string>", "struct<a:int,b:string>",
                              "map<string,int>"});
  }

  pb::GlueColumn Column(const std::string& name) {
    pb::GlueColumn c;
    c.set_name(name);
    c.set_type(Type());
    c.set_comment(MaybeText("about " + name));
    return c;
  }

  pb::GlueSerDe SerDe() {
    pb::GlueSerDe s;
    s.set_serialization_library(Pick<std::string>(
        {"org.openx.data.jsonserde.JsonSerDe",
         "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
         "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}));
    if (Chance(30)) s.set_name("serde" + std::to_string(Int(0, 2)));
    for (int i = Int(0, 2); i > 0; --i) (*s.mutable_parameters())[Name("sp", 3)] = Name("v", 3);
    return s;
  }

  void SetFormats(pb::GlueTable* t) {
    bool parquet = Chance(50);
    t->set_input_format(parquet ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
                                : "org.apache.hadoop.mapred.TextInputFormat");
    t->set_output_format(
        parquet ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
                : "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
  }

  pb::GlueTable Table(const std::string& name) {
    pb::GlueTable t;
    t.set_name(name);
    t.set_description(MaybeText("table"));
    for (const auto& c : Distinct(ColumnPool(), Int(0, 7))) *t.add_columns() = Column(c);
    for (const auto& p : Distinct(PartitionPool(), Int(0, 2))) *t.add_partition_keys() = Column(p);
    t.set_location("s3://lake/" + name + "/v" + std::to_string(Int(0, 2)) + "/");
    SetFormats(&t);
    if (Chance(70)) *t.mutable_serde() = SerDe();
    t.set_table_type(Pick<std::string>({"EXTERNAL_TABLE", "EXTERNAL_TABLE", ""}));
    for (int i = Int(0, 3); i > 0; --i) (*t.mutable_parameters())[Name("k", 5)] = Name("v", 3);
    if (Chance(30)) SetBucketing(&t);
    CanonicalizeGlueTable(&t);
    return t;
  }

  // Buckets over 1-2 of the table's columns, sometimes sorted, or none when it has no columns.
  void SetBucketing(pb::GlueTable* t) {
    t->clear_bucket_columns();
    t->clear_sort_columns();
    t->set_num_buckets(0);
    std::vector<std::string> names;
    for (const auto& c : t->columns()) names.push_back(c.name());
    if (names.empty()) return;
    for (const auto& name : Distinct(names, Int(1, 2))) t->add_bucket_columns(name);
    t->set_num_buckets(Pick<int>({1, 4, 16, 32}));
    for (const auto& name : Distinct(names, Int(0, 2))) {
      pb::GlueSortColumn* s = t->add_sort_columns();
      s->set_column(name);
      s->set_descending(Chance(50));
    }
  }

  void ClearBucketing(pb::GlueTable* t) {
    t->clear_bucket_columns();
    t->clear_sort_columns();
    t->set_num_buckets(0);
  }

  pb::GlueDatabase Database(const std::string& name) {
    pb::GlueDatabase d;
    d.set_name(name);
    SetDatabaseProperties(&d);
    for (int i = Int(0, 4); i > 0; --i) {
      std::string t = Name("t", 6);
      (*d.mutable_tables())[t] = Table(t);
    }
    return d;
  }

  void SetDatabaseProperties(pb::GlueDatabase* d) {
    d->set_description(MaybeText("database"));
    d->set_location_uri(Chance(50) ? "" : "s3://lake/" + d->name() + std::to_string(Int(0, 1)));
    d->mutable_parameters()->clear();
    for (int i = Int(0, 2); i > 0; --i) (*d->mutable_parameters())[Name("p", 3)] = Name("v", 2);
  }

  pb::GlueSchema Schema() {
    pb::GlueSchema s;
    for (int i = Int(0, 4); i > 0; --i) {
      std::string name = Name("db", 4);
      (*s.mutable_databases())[name] = Database(name);
    }
    return s;
  }

  // A column name from the pool that neither the columns nor the partition keys use.
  std::string UnusedColumnName(const pb::GlueTable& t) {
    std::vector<std::string> free;
    for (const auto& name : ColumnPool()) {
      if (!Uses(t, name)) free.push_back(name);
    }
    return free.empty() ? "" : Pick(free);
  }

  static bool Uses(const pb::GlueTable& t, const std::string& name) {
    for (const auto& c : t.columns()) {
      if (c.name() == name) return true;
    }
    for (const auto& c : t.partition_keys()) {
      if (c.name() == name) return true;
    }
    return false;
  }

  void InsertColumn(pb::GlueTable* t, const pb::GlueColumn& c) {
    *t->add_columns() = c;
    for (int i = t->columns_size() - 1, to = Int(0, i); i > to; --i) {
      t->mutable_columns()->SwapElements(i, i - 1);
    }
  }

  // One random edit of an existing table, keeping it valid and canonical.
  void Mutate(pb::GlueTable* t) {
    const int n = t->columns_size();
    const int at = n > 0 ? Int(0, n - 1) : -1;
    pb::GlueColumn* some = at >= 0 ? t->mutable_columns(at) : nullptr;
    switch (Int(0, 17)) {
      case 0: *t = Table(t->name()); break;
      case 1: {
        std::string name = UnusedColumnName(*t);
        if (!name.empty()) InsertColumn(t, Column(name));
        break;
      }
      case 2: if (some) t->mutable_columns()->DeleteSubrange(at, 1); break;
      case 3: if (some) some->set_type(Type()); break;
      case 4: if (some) some->set_comment(MaybeText("changed")); break;
      case 5: Shuffle(t->mutable_columns()); break;
      case 6: if (n > 1) t->mutable_columns()->SwapElements(Int(0, n - 1), Int(0, n - 1)); break;
      case 7:  // a column becomes a partition key
        if (some) {
          *t->add_partition_keys() = *some;
          t->mutable_columns()->DeleteSubrange(at, 1);
        }
        break;
      case 8:  // a partition key becomes a column
        if (t->partition_keys_size() > 0) {
          pb::GlueColumn key = t->partition_keys(0);
          t->mutable_partition_keys()->DeleteSubrange(0, 1);
          InsertColumn(t, key);
        }
        break;
      case 9:
        if (t->partition_keys_size() > 0) t->mutable_partition_keys(0)->set_type(Type());
        break;
      case 10: (*t->mutable_parameters())[Name("k", 5)] = Name("w", 3); break;
      case 11: t->mutable_parameters()->erase(Name("k", 5)); break;
      case 12: if (Chance(30)) t->clear_serde(); else *t->mutable_serde() = SerDe(); break;
      case 13: t->set_location("s3://lake/moved/" + t->name()); break;
      case 14: SetFormats(t); t->set_table_type(Pick<std::string>({"EXTERNAL_TABLE", ""})); break;
      case 15:  // a rename: the column leaves and a differently named one arrives
        if (some) {
          std::string name = UnusedColumnName(*t);
          if (!name.empty()) some->set_name(name);
        }
        break;
      case 16: SetBucketing(t); break;
      case 17:  // only the bucket count or one sort direction changes
        if (t->num_buckets() > 0 && Chance(50)) {
          t->set_num_buckets(t->num_buckets() * 2);
        } else if (t->sort_columns_size() > 0) {
          auto* s = t->mutable_sort_columns(0);
          s->set_descending(!s->descending());
        } else {
          ClearBucketing(t);
        }
        break;
    }
    if (Chance(20)) t->set_description(MaybeText("changed"));
    CanonicalizeGlueTable(t);
  }

  pb::GlueSchema Mutated(pb::GlueSchema s) {
    auto& dbs = *s.mutable_databases();
    for (int i = Int(1, 4); i > 0; --i) {
      std::string db = Name("db", 4);
      int what = Int(0, 9);
      if (what == 0) {
        dbs.erase(db);
      } else if (what == 1 || !dbs.count(db)) {
        dbs[db] = Database(db);
      } else if (what == 2) {
        SetDatabaseProperties(&dbs[db]);
      } else {
        MutateTables(&dbs[db]);
      }
    }
    return s;
  }

  void MutateTables(pb::GlueDatabase* d) {
    auto& tables = *d->mutable_tables();
    for (int i = Int(1, 3); i > 0; --i) {
      std::string t = Name("t", 6);
      int what = Int(0, 9);
      if (what == 0) {
        tables.erase(t);
      } else if (what == 1 || !tables.count(t)) {
        tables[t] = Table(t);
      } else {
        Mutate(&tables[t]);
      }
    }
  }
};

// ---- PostgreSQL ------------------------------------------------------------------------

class RandomPostgres : public RandomBase {
 public:
  using RandomBase::RandomBase;

  static std::vector<std::string> Schemas() { return {"public", "app", "audit"}; }
  static std::vector<std::string> ColumnPool() {
    return {"id", "name", "email", "created_at", "amount", "c0", "c1", "c2", "c3"};
  }

  std::string ColumnType() {
    return Pick<std::string>({"integer", "bigint", "text", "character varying(255)", "boolean",
                              "timestamp with time zone", "numeric(10,2)", "uuid", "jsonb"});
  }

  // A default, an identity or a generation expression: at most one of them, as PostgreSQL
  // requires.
  void SetValueSource(pb::PgColumn* c) {
    c->clear_default_expr();
    c->clear_generated_expr();
    c->set_identity(pb::PG_IDENTITY_NONE);
    switch (Int(0, 5)) {
      case 0: c->set_default_expr(Pick<std::string>({"0", "now()", "'x'::text"})); break;
      case 1: c->set_default_expr("nextval('app.s0'::regclass)"); break;
      case 2:
        c->set_identity(Chance(50) ? pb::PG_IDENTITY_ALWAYS : pb::PG_IDENTITY_BY_DEFAULT);
        break;
      case 3: c->set_generated_expr("(id * " + std::to_string(Int(1, 3)) + ")"); break;
      default: break;
    }
  }

  pb::PgColumn Column(const std::string& name) {
    pb::PgColumn c;
    c.set_name(name);
    c.set_type(ColumnType());
    c.set_not_null(Chance(40));
    SetValueSource(&c);
    if (Chance(10)) c.set_collation(Pick<std::string>({"C", "en_US"}));
    c.set_comment(MaybeText("column"));
    return c;
  }

  pb::PgConstraint Constraint(const std::string& table, int n) {
    pb::PgConstraint c;
    c.set_type(static_cast<pb::PgConstraintType>(Int(1, 5)));
    static const char* kSuffix[] = {"", "pkey", "key", "fkey", "check", "excl"};
    c.set_name(table + "_" + kSuffix[c.type()] + std::to_string(n));
    c.set_definition(Pick<std::string>({"PRIMARY KEY (id)", "UNIQUE (email)",
                                        "CHECK ((amount > 0))",
                                        "FOREIGN KEY (c0) REFERENCES app.t0(id)",
                                        "EXCLUDE USING gist (c1 WITH &&)"}));
    if (Chance(20)) c.set_comment(MaybeText("constraint"));
    return c;
  }

  pb::PgIndex Index(const std::string& schema, const std::string& owner, int n) {
    pb::PgIndex i;
    i.set_name(owner + "_idx" + std::to_string(n));
    i.set_definition("CREATE INDEX " + i.name() + " ON " + schema + "." + owner +
                     " USING btree (" + Pick(ColumnPool()) + ")");
    if (Chance(20)) i.set_comment(MaybeText("index"));
    return i;
  }

  pb::PgTrigger Trigger(const std::string& table, int n) {
    pb::PgTrigger t;
    t.set_name(table + "_trg" + std::to_string(n));
    t.set_definition("CREATE TRIGGER " + t.name() + " BEFORE " +
                     Pick<std::string>({"INSERT", "UPDATE", "DELETE"}) +
                     " ON tbl FOR EACH ROW EXECUTE FUNCTION app.f0()");
    if (Chance(20)) t.set_comment(MaybeText("trigger"));
    return t;
  }

  // Privileges relative to the default: half the time none, else a few grants and revokes.
  pb::PgAcl Acl(pb::PgObjectKind kind) {
    pb::PgAcl acl;
    if (Chance(50)) return acl;
    std::vector<std::string> privileges;
    for (auto p : PgPrivilegesOf(kind)) privileges.emplace_back(p);
    std::set<std::string> seen;
    auto add = [&](pb::PgGrant* g, std::string grantee, std::string grantor) {
      g->set_grantee(std::move(grantee));
      g->set_privilege(Pick(privileges));
      g->set_grantor(std::move(grantor));
      return seen.insert(g->grantee() + "/" + g->privilege() + "/" + g->grantor()).second;
    };
    for (int i = Int(0, 3); i > 0; --i) {
      pb::PgGrant g;
      g.set_grantable(Chance(20));
      if (add(&g, Pick<std::string>({"PUBLIC", "app_user", "Mixed Case"}),
              Pick<std::string>({"postgres", "app_user"}))) {
        *acl.add_grants() = g;
      }
    }
    seen.clear();
    for (int i = Int(0, 2); i > 0; --i) {
      pb::PgGrant g;
      if (add(&g, Pick<std::string>({"postgres", "PUBLIC"}), "postgres")) *acl.add_revokes() = g;
    }
    CanonicalizePgAcl(&acl);
    return acl;
  }

  // `object` with random privileges of `kind`, in canonical form (none: no ACL at all).
  template <typename Object>
  void GiveAcl(Object* object, pb::PgObjectKind kind) {
    *object->mutable_acl() = Acl(kind);
    CanonicalizePgObject(object);
  }

  pb::PgPolicy Policy(int n) {
    pb::PgPolicy p;
    p.set_name("p" + std::to_string(n));
    p.set_command(Pick<std::string>({"ALL", "SELECT", "INSERT", "UPDATE", "DELETE"}));
    p.set_restrictive(Chance(20));
    for (const auto& r : Distinct({"PUBLIC", "app_user", "Mixed Case"}, Int(1, 2))) {
      p.add_roles(r);
    }
    if (p.command() != "INSERT" && Chance(70)) p.set_using_expr("(tenant = " + Name("", 3) + ")");
    if (p.command() != "SELECT" && p.command() != "DELETE" && Chance(50)) {
      p.set_check_expr("(id > " + Name("", 3) + ")");
    }
    if (Chance(20)) p.set_comment(MaybeText("policy"));
    return p;
  }

  // Row-level security flags, policies and privileges of a table and its columns.
  void AddSecurity(pb::PgTable* t) {
    t->set_row_security(Chance(30));
    t->set_force_row_security(Chance(15));
    for (int i = Int(0, 2); i > 0; --i) AddUnique(t->mutable_policies(), Policy(Int(0, 3)));
    GiveAcl(t, pb::PG_OBJECT_TABLE);
    for (auto& c : *t->mutable_columns()) {
      if (Chance(20)) GiveAcl(&c, pb::PG_OBJECT_COLUMN);
    }
  }

  void MutateSecurity(pb::PgTable* t) {
    const int n = t->policies_size();
    const int at = n > 0 ? Int(0, n - 1) : -1;
    switch (Int(0, 6)) {
      case 0: t->set_row_security(!t->row_security()); break;
      case 1: t->set_force_row_security(!t->force_row_security()); break;
      case 2: AddUnique(t->mutable_policies(), Policy(Int(0, 3))); break;
      case 3: if (at >= 0) t->mutable_policies()->DeleteSubrange(at, 1); break;
      case 4:  // redefined under the same name
        if (at >= 0) {
          pb::PgPolicy p = Policy(0);
          p.set_name(t->policies(at).name());
          *t->mutable_policies(at) = p;
        }
        break;
      case 5: if (at >= 0) t->mutable_policies(at)->set_comment(MaybeText("changed")); break;
      case 6: GiveAcl(t, pb::PG_OBJECT_TABLE); break;
    }
    if (Chance(20) && t->columns_size() > 0) {
      GiveAcl(t->mutable_columns(Int(0, t->columns_size() - 1)), pb::PG_OBJECT_COLUMN);
    }
  }

  pb::PgDefaultPrivileges DefaultPrivileges() {
    pb::PgDefaultPrivileges e;
    e.set_role(Pick<std::string>({"postgres", "app_user"}));
    e.set_object_type(Pick<std::string>({"TABLES", "SEQUENCES", "FUNCTIONS", "TYPES", "SCHEMAS"}));
    if (e.object_type() != "SCHEMAS" && Chance(50)) e.set_schema("app");
    const pb::PgObjectKind kind = PgDefaultPrivilegesKind(e.object_type());
    while (IsEmptyAcl(e.acl())) *e.mutable_acl() = Acl(kind);
    return e;
  }

  void AddDefaultPrivileges(pb::PostgresSchema* s) {
    pb::PgDefaultPrivileges e = DefaultPrivileges();
    (*s->mutable_default_privileges())[PgDefaultPrivilegesKey(e)] = e;
  }

  // Adds `item` unless the list has its name already.
  template <typename Repeated, typename Item>
  static void AddUnique(Repeated* items, const Item& item) {
    for (const auto& x : *items) {
      if (x.name() == item.name()) return;
    }
    *items->Add() = item;
  }

  pb::PgTable Table(const std::string& schema, const std::string& name) {
    pb::PgTable t;
    t.set_schema(schema);
    t.set_name(name);
    for (const auto& c : Distinct(ColumnPool(), Int(0, 6))) *t.add_columns() = Column(c);
    for (int i = Int(0, 3); i > 0; --i) {
      AddUnique(t.mutable_constraints(), Constraint(name, Int(0, 3)));
    }
    for (int i = Int(0, 2); i > 0; --i) {
      AddUnique(t.mutable_indexes(), Index(schema, name, Int(0, 3)));
    }
    for (int i = Int(0, 2); i > 0; --i) AddUnique(t.mutable_triggers(), Trigger(name, Int(0, 2)));
    t.set_comment(MaybeText("table"));
    RandomTableStorage(*this, &t);
    AddSecurity(&t);
    CanonicalizePgTable(&t);
    return t;
  }

  pb::PgView View(const std::string& schema, const std::string& name) {
    pb::PgView v;
    v.set_schema(schema);
    v.set_name(name);
    v.set_definition(ViewDefinition());
    v.set_materialized(Chance(30));
    if (v.materialized()) {
      for (int i = Int(0, 2); i > 0; --i) {
        AddUnique(v.mutable_indexes(), Index(schema, name, Int(0, 3)));
      }
    }
    v.set_comment(MaybeText("view"));
    RandomViewOptions(*this, &v);
    GiveAcl(&v, pb::PG_OBJECT_VIEW);
    CanonicalizePgView(&v);
    return v;
  }

  std::string ViewDefinition() {
    return " SELECT " + Pick(ColumnPool()) + " FROM app.t" + std::to_string(Int(0, 3)) + ";";
  }

  pb::PgSequence Sequence(const std::string& schema, const std::string& name) {
    pb::PgSequence q;
    q.set_schema(schema);
    q.set_name(name);
    q.set_data_type(Pick<std::string>({"bigint", "integer"}));
    q.set_start(Int(1, 3));
    q.set_increment(Int(1, 2));
    q.set_min_value(1);
    q.set_max_value(Chance(50) ? 2147483647 : 9223372036854775807LL);
    q.set_cache(Int(1, 2));
    q.set_cycle(Chance(20));
    if (Chance(30)) q.set_owned_by(schema + ".t0.id");
    q.set_comment(MaybeText("sequence"));
    GiveAcl(&q, pb::PG_OBJECT_SEQUENCE);
    return q;
  }

  pb::PgType Type(const std::string& schema, const std::string& name) {
    pb::PgType t;
    t.set_schema(schema);
    t.set_name(name);
    switch (Int(0, 3)) {
      case 0:
        for (const auto& l : Distinct({"new", "open", "done", "lost"}, Int(0, 4))) {
          t.mutable_enum_type()->add_labels(l);
        }
        t.mutable_enum_type();  // an enum without labels is still an enum
        break;
      case 1:
        for (const auto& a : Distinct({"x", "y", "z"}, Int(1, 3))) {
          auto* attr = t.mutable_composite()->add_attributes();
          attr->set_name(a);
          attr->set_type(ColumnType());
        }
        break;
      case 2: {
        auto* d = t.mutable_domain();
        d->set_base_type(ColumnType());
        d->set_not_null(Chance(30));
        if (Chance(30)) d->set_default_expr("0");
        for (int i = Int(0, 2); i > 0; --i) {
          pb::PgConstraint c;
          c.set_name(name + "_check" + std::to_string(Int(0, 2)));
          c.set_type(pb::PG_CONSTRAINT_CHECK);
          c.set_definition("CHECK ((VALUE > " + std::to_string(Int(0, 9)) + "))");
          AddUnique(d->mutable_constraints(), c);
        }
        break;
      }
      default:
        t.mutable_other()->set_definition("RANGE (subtype = int" + std::to_string(Int(4, 8)) +
                                          ")");
    }
    t.set_comment(MaybeText("type"));
    GiveAcl(&t, pb::PG_OBJECT_TYPE);
    CanonicalizePgType(&t);
    return t;
  }

  pb::PgExtension Extension(const std::string& name) {
    pb::PgExtension x;
    x.set_name(name);
    x.set_version(Pick<std::string>({"1.0", "1.1", "1.3"}));
    x.set_schema(Pick<std::string>({"public", "app"}));
    x.set_comment(MaybeText("extension"));
    return x;
  }

  pb::PgFunction Function(const std::string& schema, const std::string& name,
                          const std::string& args) {
    pb::PgFunction f;
    f.set_schema(schema);
    f.set_name(name);
    f.set_identity_arguments(args);
    f.set_definition("CREATE OR REPLACE FUNCTION " + schema + "." + name + "(" + args +
                     ") RETURNS integer LANGUAGE sql AS $$ SELECT " + std::to_string(Int(0, 9)) +
                     " $$");
    f.set_comment(MaybeText("function"));
    if (Chance(20)) MakeAggregate(*this, &f);
    GiveAcl(&f, pb::PG_OBJECT_FUNCTION);
    return f;
  }

  pb::PostgresSchema Schema() {
    pb::PostgresSchema s;
    for (const auto& n : Schemas()) {
      if (Chance(n == "public" ? 50 : 70)) AddNamespace(&s, n);
    }
    for (int i = Int(0, 6); i > 0; --i) AddTable(&s);
    for (int i = Int(0, 3); i > 0; --i) AddView(&s);
    for (int i = Int(0, 2); i > 0; --i) AddSequence(&s);
    for (int i = Int(0, 3); i > 0; --i) AddType(&s);
    for (int i = Int(0, 2); i > 0; --i) AddExtension(&s);
    for (int i = Int(0, 3); i > 0; --i) AddFunction(&s);
    for (int i = Int(0, 2); i > 0; --i) AddEventTrigger(*this, &s);
    for (int i = Int(0, 2); i > 0; --i) AddForeignServer(*this, &s);
    for (int i = Int(0, 2); i > 0; --i) AddDefaultPrivileges(&s);
    DropBareImplicitNamespace(&s);
    return s;
  }

  // "public" with nothing recorded about it is no entry (see postgres_security.h).
  static void DropBareImplicitNamespace(pb::PostgresSchema* s) {
    auto it = s->namespaces().find(std::string(kPgImplicitNamespace));
    if (it != s->namespaces().end() && IsBareImplicitNamespace(it->second)) {
      s->mutable_namespaces()->erase(it->first);
    }
  }

  void AddNamespace(pb::PostgresSchema* s, const std::string& name) {
    pb::PgNamespace n;
    n.set_name(name);
    n.set_comment(MaybeText("schema"));
    GiveAcl(&n, pb::PG_OBJECT_SCHEMA);
    (*s->mutable_namespaces())[name] = n;
  }

  // Tables and views share keys: adding one removes the other kind's object of that key
  // (so the diff must drop one and create the other).
  void AddTable(pb::PostgresSchema* s) {
    std::string schema = Pick(Schemas()), name = Name("t", 5);
    if (Chance(10)) name = Name("v", 3);
    s->mutable_views()->erase(PgKey(schema, name));
    (*s->mutable_tables())[PgKey(schema, name)] = Table(schema, name);
  }
  void AddView(pb::PostgresSchema* s) {
    std::string schema = Pick(Schemas()), name = Name("v", 3);
    if (Chance(10)) name = Name("t", 5);
    s->mutable_tables()->erase(PgKey(schema, name));
    (*s->mutable_views())[PgKey(schema, name)] = View(schema, name);
  }
  void AddSequence(pb::PostgresSchema* s) {
    std::string schema = Pick(Schemas()), name = Name("s", 3);
    (*s->mutable_sequences())[PgKey(schema, name)] = Sequence(schema, name);
  }
  void AddType(pb::PostgresSchema* s) {
    std::string schema = Pick(Schemas()), name = Name("ty", 4);
    (*s->mutable_types())[PgKey(schema, name)] = Type(schema, name);
  }
  void AddExtension(pb::PostgresSchema* s) {
    std::string name = Pick<std::string>({"pgcrypto", "uuid-ossp", "citext", "hstore"});
    (*s->mutable_extensions())[name] = Extension(name);
  }
  void AddFunction(pb::PostgresSchema* s) {
    std::string schema = Pick(Schemas()), name = Name("f", 3);
    std::string args = Pick<std::string>({"", "integer", "text, integer"});
    (*s->mutable_functions())[PgFunctionKey(schema, name, args)] = Function(schema, name, args);
  }

  // ---- mutations ----

  std::string UnusedColumnName(const pb::PgTable& t) {
    std::vector<std::string> free;
    for (const auto& name : ColumnPool()) {
      bool used = false;
      for (const auto& c : t.columns()) used |= c.name() == name;
      if (!used) free.push_back(name);
    }
    return free.empty() ? "" : Pick(free);
  }

  // Edits one random part list entry: removed, redefined, re-commented or a new one added.
  template <typename Repeated, typename Make>
  void MutateParts(Repeated* items, Make make) {
    const int n = items->size();
    const int at = n > 0 ? Int(0, n - 1) : -1;
    switch (at < 0 ? 0 : Int(0, 3)) {
      case 0: AddUnique(items, make()); break;
      case 1: items->DeleteSubrange(at, 1); break;
      case 2: items->Mutable(at)->set_definition(make().definition()); break;
      case 3: items->Mutable(at)->set_comment(MaybeText("changed")); break;
    }
  }

  void MutateColumn(pb::PgColumn* c) {
    switch (Int(0, 5)) {
      case 0: c->set_type(ColumnType()); break;
      case 1: c->set_not_null(!c->not_null()); break;
      case 2: SetValueSource(c); break;
      case 3: c->set_comment(MaybeText("changed")); break;
      case 4: c->set_collation(c->collation().empty() ? "C" : ""); break;
      case 5: if (c->has_default_expr()) c->set_default_expr("42"); break;
    }
  }

  void Mutate(pb::PgTable* t) {
    const int n = t->columns_size();
    const int at = n > 0 ? Int(0, n - 1) : -1;
    switch (Int(0, 12)) {
      case 0: *t = Table(t->schema(), t->name()); break;
      case 1: {  // a new column, usually at the end, sometimes in the middle
        std::string name = UnusedColumnName(*t);
        if (name.empty()) break;
        *t->add_columns() = Column(name);
        if (Chance(30)) t->mutable_columns()->SwapElements(t->columns_size() - 1, Int(0, n));
        break;
      }
      case 2: if (at >= 0) t->mutable_columns()->DeleteSubrange(at, 1); break;
      case 3: if (at >= 0) MutateColumn(t->mutable_columns(at)); break;
      case 4: if (n > 1) t->mutable_columns()->SwapElements(at, Int(0, n - 1)); break;
      case 5: {  // a rename: drop + add
        std::string name = UnusedColumnName(*t);
        if (at >= 0 && !name.empty()) t->mutable_columns(at)->set_name(name);
        break;
      }
      case 6:
        MutateParts(t->mutable_constraints(), [&] { return Constraint(t->name(), Int(0, 3)); });
        break;
      case 7:
        MutateParts(t->mutable_indexes(), [&] { return Index(t->schema(), t->name(), Int(0, 3)); });
        break;
      case 8:
        MutateParts(t->mutable_triggers(), [&] { return Trigger(t->name(), Int(0, 2)); });
        break;
      case 9: t->set_comment(MaybeText("changed")); break;
      case 10: MutateTableStorage(*this, t); break;
      case 11: case 12: MutateSecurity(t); break;
    }
    if (Chance(10) && t->constraints_size() > 0) {  // same name, another kind of constraint
      auto* c = t->mutable_constraints(0);
      c->set_type(static_cast<pb::PgConstraintType>(c->type() % 5 + 1));
    }
    CanonicalizePgTable(t);
  }

  void Mutate(pb::PgView* v) {
    if (Chance(20)) GiveAcl(v, pb::PG_OBJECT_VIEW);
    switch (Int(0, 5)) {
      case 0: v->set_definition(ViewDefinition() + " -- v2"); break;
      case 1:
        v->set_materialized(!v->materialized());
        if (!v->materialized()) v->clear_indexes();
        RandomViewOptions(*this, v);
        break;
      case 2:
        if (v->materialized()) {
          MutateParts(v->mutable_indexes(),
                      [&] { return Index(v->schema(), v->name(), Int(0, 3)); });
        }
        break;
      case 3: v->set_comment(MaybeText("changed")); break;
      case 4: *v = View(v->schema(), v->name()); break;
      case 5: RandomViewOptions(*this, v); break;
    }
    CanonicalizePgView(v);
  }

  void Mutate(pb::PgType* t) {
    if (Chance(20)) GiveAcl(t, pb::PG_OBJECT_TYPE);
    if (Chance(40)) {
      t->set_comment(MaybeText("changed"));
    } else if (t->has_enum_type() && Chance(70)) {
      t->mutable_enum_type()->add_labels("added" + std::to_string(t->enum_type().labels_size()));
    } else {
      *t = Type(t->schema(), t->name());
    }
  }

  // A random key of a non-empty map; sorted first, as map iteration order is unspecified.
  template <typename Map>
  std::string PickKey(const Map& map) {
    std::vector<std::string> keys;
    for (const auto& [k, _] : map) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    return Pick(keys);
  }

  template <typename Map, typename Edit>
  void EditSome(Map* map, Edit edit) {
    if (!map->empty()) edit(&(*map)[PickKey(*map)]);
  }

  template <typename Map>
  void DropSome(Map* map) {
    if (!map->empty()) map->erase(PickKey(*map));
  }

  void MutateOnce(pb::PostgresSchema* s) {
    switch (Int(0, 22)) {
      case 0: AddNamespace(s, Pick(Schemas())); break;
      case 1: DropSome(s->mutable_namespaces()); break;
      case 2: AddTable(s); break;
      case 3: DropSome(s->mutable_tables()); break;
      case 4: case 5: case 6: case 7:
        EditSome(s->mutable_tables(), [this](pb::PgTable* t) { Mutate(t); });
        break;
      case 8: AddView(s); break;
      case 9: DropSome(s->mutable_views()); break;
      case 10: EditSome(s->mutable_views(), [this](pb::PgView* v) { Mutate(v); }); break;
      case 11: AddSequence(s); break;
      case 12: DropSome(s->mutable_sequences()); break;
      case 13:
        EditSome(s->mutable_sequences(), [this](pb::PgSequence* q) {
          if (Chance(30)) GiveAcl(q, pb::PG_OBJECT_SEQUENCE);
          if (Chance(50)) q->set_comment(MaybeText("changed")); else q->set_increment(Int(3, 5));
        });
        break;
      case 14: AddType(s); if (Chance(50)) DropSome(s->mutable_types()); break;
      case 15: EditSome(s->mutable_types(), [this](pb::PgType* t) { Mutate(t); }); break;
      case 16: AddExtension(s); if (Chance(50)) DropSome(s->mutable_extensions()); break;
      case 17:
        EditSome(s->mutable_extensions(), [this](pb::PgExtension* x) {
          if (Chance(50)) x->set_comment(MaybeText("changed")); else x->set_version("2.0");
        });
        break;
      case 18: AddFunction(s); if (Chance(50)) DropSome(s->mutable_functions()); break;
      case 20: AddDefaultPrivileges(s); break;
      case 21: DropSome(s->mutable_default_privileges()); break;
      case 19:
        EditSome(s->mutable_functions(), [this](pb::PgFunction* f) {
          if (Chance(30)) GiveAcl(f, pb::PG_OBJECT_FUNCTION);
          if (Chance(20)) {
            if (f->aggregate()) *f = Function(f->schema(), f->name(), f->identity_arguments());
            else MakeAggregate(*this, f);
          } else if (Chance(50)) {
            f->set_comment(MaybeText("changed"));
          } else {
            f->set_definition("-- new");
          }
        });
        break;
      case 22: MutateServersAndEventTriggers(*this, s); break;
    }
    EditSome(s->mutable_namespaces(), [this](pb::PgNamespace* n) {
      if (Chance(10)) n->set_comment(MaybeText("changed"));
      if (Chance(10)) GiveAcl(n, pb::PG_OBJECT_SCHEMA);
    });
    DropBareImplicitNamespace(s);
  }

  pb::PostgresSchema Mutated(pb::PostgresSchema s) {
    for (int i = Int(1, 5); i > 0; --i) MutateOnce(&s);
    return s;
  }
};

}  // namespace strata::testing
