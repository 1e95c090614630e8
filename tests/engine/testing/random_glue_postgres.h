// Seeded random Glue and PostgreSQL schemas for property tests: canonical, valid states, and
// mutations of them that exercise every kind of change (adds, drops, renames as drop + add,
// type changes, reorders, comments, parameters, partition keys, definitions).
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_keys.h"
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
    CanonicalizeGlueTable(&t);
    return t;
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
    switch (Int(0, 15)) {
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

}  // namespace strata::testing
