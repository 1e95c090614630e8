// adapters/postgres/capture_incremental against the test cluster: after every migration of long
// random sequences (run from another session, in one transaction, statement by statement or
// with savepoints), the incremental model equals a full introspection of the same database, and
// so do the identities; plus the cases that must take a full read or a key list, said so.
#include "adapters/postgres/capture_incremental.h"
#include "adapters/postgres/capture_events.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include "integration/postgres/test_database.h"

namespace strata::postgres {
namespace {

using google::protobuf::util::MessageDifferencer;
using strata::testing::TestDatabase;

// What differs between the incremental model and a full read, or "" when nothing does.
std::string Difference(const pb::PostgresSchema& incremental, const pb::PostgresSchema& full) {
  MessageDifferencer d;
  std::string report;
  d.ReportDifferencesToString(&report);
  return d.Compare(incremental, full) ? "" : report;
}

template <typename Map>
std::string MapDifference(const char* what, const Map& incremental, const Map& full) {
  if (incremental == full) return "";
  std::ostringstream out;
  out << what << ":";
  for (const auto& [k, v] : incremental) {
    auto it = full.find(k);
    if (it == full.end() || !(it->second == v)) out << " only incrementally or differing;";
  }
  for (const auto& [k, v] : full) {
    if (incremental.find(k) == incremental.end()) out << " missing incrementally;";
  }
  return out.str();
}

std::string IdentityDifference(const CatalogIdentity& a, const CatalogIdentity& b) {
  return MapDifference("namespaces", a.namespaces, b.namespaces) +
         MapDifference("relations", a.relations, b.relations) +
         MapDifference("types", a.types, b.types) +
         MapDifference("functions", a.functions, b.functions) +
         MapDifference("columns", a.columns, b.columns) +
         MapDifference("indexes", a.indexes, b.indexes) +
         MapDifference("constraints", a.constraints, b.constraints) +
         MapDifference("triggers", a.triggers, b.triggers) +
         MapDifference("policies", a.policies, b.policies);
}

// ---- a random migration, made from the catalog as it is -----------------------------------

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  // One to three statements; `concurrently` is set when one of them cannot run in a
  // transaction block.
  std::vector<std::string> Next(const pb::PostgresSchema& m, bool* concurrently) {
    *concurrently = false;
    std::vector<std::string> out;
    const int n = 1 + Below(3);
    for (int i = 0; i < n; ++i) {
      std::string s = Statement(m, concurrently);
      if (!s.empty()) out.push_back(std::move(s));
    }
    return out;
  }

  int Below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

 private:
  template <typename Map>
  const typename Map::mapped_type* Pick(const Map& map) {
    if (map.empty()) return nullptr;
    auto it = map.begin();
    std::advance(it, Below(static_cast<int>(map.size())));
    return &it->second;
  }
  template <typename List>
  const typename List::value_type* PickIn(const List& list) {
    if (list.empty()) return nullptr;
    return &list.Get(Below(list.size()));
  }
  std::string Fresh(const char* prefix) { return fmt::format("{}{}", prefix, ++counter_); }
  static std::string Q(const std::string& schema, const std::string& name) {
    return schema + "." + name;
  }
  static std::string Q(const pb::PgTable& t) { return Q(t.schema(), t.name()); }

  std::string ColumnType(const pb::PostgresSchema& m) {
    switch (Below(5)) {
      case 0: return "integer";
      case 1: return "bigint";
      case 2: return "text";
      case 3:
        if (const pb::PgType* e = Pick(m.types()); e && e->has_enum_type()) {
          return Q(e->schema(), e->name());
        }
        return "numeric(10,2)";
      default: return "varchar(20)";
    }
  }

  std::string Statement(const pb::PostgresSchema& m, bool* concurrently) {
    const pb::PgTable* t = Pick(m.tables());
    const pb::PgColumn* c = t ? PickIn(t->columns()) : nullptr;
    switch (Below(38)) {
      case 0:
      case 1:
      case 2:
        return fmt::format(
            "CREATE TABLE {}.{} (id integer PRIMARY KEY, a text DEFAULT 'x', b integer "
            "CHECK (b > 0))",
            Below(4) == 0 && m.namespaces_size() > 0 ? Pick(m.namespaces())->name() : "public",
            Fresh("t"));
      case 3:
        return t ? fmt::format("DROP TABLE {} CASCADE", Q(*t)) : "";
      case 4:
      case 5:
        return t ? fmt::format("ALTER TABLE {} ADD COLUMN {} {}", Q(*t), Fresh("c"), ColumnType(m))
                 : "";
      case 6:
        return c ? fmt::format("ALTER TABLE {} DROP COLUMN {} CASCADE", Q(*t), c->name()) : "";
      case 7:
        return c ? fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", Q(*t), c->name(),
                               Fresh("r"))
                 : "";
      case 8:
        return c ? fmt::format("ALTER TABLE {} ALTER COLUMN {} TYPE text", Q(*t), c->name()) : "";
      case 9:
        if (!c) return "";
        if (Below(3) == 0) {
          *concurrently = true;
          return fmt::format("CREATE INDEX CONCURRENTLY {} ON {} ({})", Fresh("i"), Q(*t),
                             c->name());
        }
        return fmt::format("CREATE INDEX {} ON {} (({}::text))", Fresh("i"), Q(*t), c->name());
      case 10: {
        const pb::PgIndex* i = t ? PickIn(t->indexes()) : nullptr;
        return i ? fmt::format("DROP INDEX {}.{}", t->schema(), i->name()) : "";
      }
      case 11: {
        const pb::PgIndex* i = t ? PickIn(t->indexes()) : nullptr;
        return i ? fmt::format("ALTER INDEX {}.{} RENAME TO {}", t->schema(), i->name(),
                               Fresh("i"))
                 : "";
      }
      case 12:
        return c ? fmt::format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL)", Q(*t),
                               Fresh("k"), c->name())
                 : "";
      case 13:
        return c ? fmt::format("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({})", Q(*t), Fresh("u"),
                               c->name())
                 : "";
      case 14: {
        const pb::PgTable* other = Pick(m.tables());
        return c && other ? fmt::format("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) "
                                        "REFERENCES {} (id)",
                                        Q(*t), Fresh("f"), c->name(), Q(*other))
                          : "";
      }
      case 15: {
        const pb::PgConstraint* k = t ? PickIn(t->constraints()) : nullptr;
        return k ? fmt::format("ALTER TABLE {} DROP CONSTRAINT {} CASCADE", Q(*t), k->name())
                 : "";
      }
      case 16:
        return c ? fmt::format("CREATE VIEW public.{} AS SELECT {} FROM {}", Fresh("v"),
                               c->name(), Q(*t))
                 : "";
      case 17: {
        const pb::PgView* v = Pick(m.views());
        return v ? fmt::format("DROP VIEW {}.{} CASCADE", v->schema(), v->name()) : "";
      }
      case 18:
        if (Below(2) == 0 && c) {
          return fmt::format("COMMENT ON COLUMN {}.{} IS {}", Q(*t), c->name(),
                             Below(3) == 0 ? "NULL" : "'" + Fresh("note") + "'");
        }
        return t ? fmt::format("COMMENT ON TABLE {} IS {}", Q(*t),
                               Below(3) == 0 ? "NULL" : "'" + Fresh("note") + "'")
                 : "";
      case 19: {
        const pb::PgConstraint* k = t ? PickIn(t->constraints()) : nullptr;
        return k ? fmt::format("COMMENT ON CONSTRAINT {} ON {} IS {}", k->name(), Q(*t),
                               Below(2) == 0 ? "NULL" : "'" + Fresh("note") + "'")
                 : "";
      }
      case 20:
        return fmt::format("CREATE SEQUENCE public.{} INCREMENT {}", Fresh("s"), 1 + Below(5));
      case 21: {
        const pb::PgSequence* s = Pick(m.sequences());
        if (!s) return "";
        const std::string q = Q(s->schema(), s->name());
        switch (Below(4)) {
          case 0: return fmt::format("DROP SEQUENCE {} CASCADE", q);
          case 1: return fmt::format("ALTER SEQUENCE {} INCREMENT BY {}", q, 2 + Below(9));
          case 2: return fmt::format("ALTER SEQUENCE {} OWNED BY NONE", q);
          default:
            return c ? fmt::format("ALTER SEQUENCE {} OWNED BY {}.{}", q, Q(*t), c->name()) : "";
        }
      }
      case 22:
        return fmt::format("CREATE TYPE public.{} AS ENUM ('a', 'b')", Fresh("e"));
      case 23: {
        const pb::PgType* e = Pick(m.types());
        if (!e || !e->has_enum_type()) return "";
        const std::string q = Q(e->schema(), e->name());
        switch (Below(3)) {
          case 0: return fmt::format("ALTER TYPE {} ADD VALUE '{}'", q, Fresh("l"));
          case 1: {
            const std::string* label = PickIn(e->enum_type().labels());
            return label ? fmt::format("ALTER TYPE {} RENAME VALUE '{}' TO '{}'", q, *label,
                                       Fresh("l"))
                         : "";
          }
          default: return fmt::format("ALTER TYPE {} RENAME TO {}", q, Fresh("e"));
        }
      }
      case 24:
        return fmt::format(
            "CREATE FUNCTION public.{}(x integer) RETURNS integer LANGUAGE sql IMMUTABLE "
            "AS 'SELECT x + 1'",
            Fresh("fn"));
      case 25: {
        const pb::PgFunction* f = Pick(m.functions());
        if (!f || f->identity_arguments() != "x integer") return "";
        const std::string q = Q(f->schema(), f->name()) + "(integer)";
        if (Below(3) == 0) return fmt::format("DROP FUNCTION {} CASCADE", q);
        return fmt::format("ALTER FUNCTION {} RENAME TO {}", q, Fresh("fn"));
      }
      case 26: {
        // A default and an index that show a function's or an enum label's name.
        const pb::PgFunction* f = Pick(m.functions());
        if (!c || !f || f->identity_arguments() != "x integer") return "";
        if (c->type() != "integer") return "";
        if (Below(2) == 0) {
          return fmt::format("CREATE INDEX {} ON {} ({}.{}({}))", Fresh("i"), Q(*t), f->schema(),
                             f->name(), c->name());
        }
        return fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}.{}(1)", Q(*t),
                           c->name(), f->schema(), f->name());
      }
      case 27:
        return t ? fmt::format("ALTER TABLE {} RENAME TO {}", Q(*t), Fresh("t")) : "";
      case 28: {
        const pb::PgView* v = Pick(m.views());
        return v ? fmt::format("ALTER VIEW {}.{} RENAME TO {}", v->schema(), v->name(),
                               Fresh("v"))
                 : "";
      }
      case 29: {
        // Partitioned tables: a parent with two partitions, then detach and attach.
        const std::string p = Fresh("p");
        if (Below(2) == 0) {
          return fmt::format(
              "CREATE TABLE public.{0} (id integer, k integer) PARTITION BY RANGE (k); "
              "CREATE TABLE public.{0}_a PARTITION OF public.{0} FOR VALUES FROM (0) TO (10); "
              "CREATE TABLE public.{0}_b PARTITION OF public.{0} FOR VALUES FROM (10) TO (20)",
              p);
        }
        return fmt::format(
            "CREATE TABLE public.{0} (id integer, k text) PARTITION BY LIST (k); "
            "CREATE TABLE public.{0}_x PARTITION OF public.{0} FOR VALUES IN ('x')",
            p);
      }
      case 30: {
        if (!t || t->name().size() < 3 || t->name()[0] != 'p') return "";
        const std::string base = t->name().substr(0, t->name().find('_'));
        if (t->name().find('_') == std::string::npos) return "";
        return Below(2) == 0
                   ? fmt::format("ALTER TABLE public.{} DETACH PARTITION public.{}", base,
                                 t->name())
                   : fmt::format("ALTER TABLE public.{} ATTACH PARTITION public.{} FOR VALUES "
                                 "FROM (20) TO (30)",
                                 base, t->name());
      }
      case 31:
        if (Below(3) == 0) return fmt::format("CREATE SCHEMA {}", Fresh("sch"));
        return t && m.namespaces_size() > 0
                   ? fmt::format("ALTER TABLE {} SET SCHEMA {}", Q(*t),
                                 Pick(m.namespaces())->name())
                   : "";
      case 32: {
        if (Below(4) != 0 || m.namespaces_size() == 0) return "";
        return fmt::format("ALTER SCHEMA {} RENAME TO {}", Pick(m.namespaces())->name(),
                           Fresh("sch"));
      }
      case 34:
        if (!t) return "";
        switch (Below(3)) {
          case 0: return fmt::format("ALTER TABLE {} ENABLE ROW LEVEL SECURITY", Q(*t));
          case 1: return fmt::format("ALTER TABLE {} FORCE ROW LEVEL SECURITY", Q(*t));
          default: return fmt::format("ALTER TABLE {} DISABLE ROW LEVEL SECURITY", Q(*t));
        }
      case 35:
        return t ? fmt::format("CREATE POLICY {} ON {} {} USING (id > {})", Fresh("pol"), Q(*t),
                               Below(2) == 0 ? "FOR SELECT TO PUBLIC" : "AS RESTRICTIVE",
                               Below(100))
                 : "";
      case 36: {
        const pb::PgPolicy* p = t ? PickIn(t->policies()) : nullptr;
        if (!p) return "";
        switch (Below(3)) {
          case 0: return fmt::format("DROP POLICY {} ON {}", p->name(), Q(*t));
          case 1:
            return fmt::format("ALTER POLICY {} ON {} RENAME TO {}", p->name(), Q(*t),
                               Fresh("pol"));
          default:
            return fmt::format("ALTER POLICY {} ON {} USING (id < {})", p->name(), Q(*t),
                               Below(100));
        }
      }
      case 37:
        switch (Below(5)) {
          case 0: return t ? fmt::format("GRANT SELECT, INSERT ON {} TO PUBLIC", Q(*t)) : "";
          case 1: return t ? fmt::format("REVOKE ALL ON {} FROM PUBLIC", Q(*t)) : "";
          case 2:
            return c ? fmt::format("GRANT UPDATE ({}) ON {} TO PUBLIC", c->name(), Q(*t)) : "";
          case 3: {
            const pb::PgSequence* sq = Pick(m.sequences());
            return sq ? fmt::format("GRANT USAGE ON SEQUENCE {} TO PUBLIC",
                                    Q(sq->schema(), sq->name()))
                      : "";
          }
          default:
            return Below(2) == 0
                       ? "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC"
                       : "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES "
                         "FROM PUBLIC";
        }
      default: {
        if (!t) return "";
        const std::string trig = Fresh("tg");
        if (Below(3) == 0 && t->triggers_size() > 0) {
          return fmt::format("DROP TRIGGER {} ON {}", PickIn(t->triggers())->name(), Q(*t));
        }
        return fmt::format(
            "CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS "
            "$$BEGIN RETURN NEW; END$$; CREATE TRIGGER {} BEFORE UPDATE ON {} FOR EACH ROW "
            "EXECUTE FUNCTION public.touch()",
            trig, Q(*t));
      }
    }
  }

  std::mt19937 rng_;
  int counter_ = 0;
};

// Runs `statements` on `conn` one way or another: in one transaction, one by one, or each in a
// savepoint (rolled back to on failure). Failures leave nothing half-applied in a transaction.
void RunMigration(Connection& conn, const std::vector<std::string>& statements, int mode) {
  if (mode == 0) {
    std::string sql = "BEGIN;";
    for (const auto& s : statements) sql += s + ";";
    (void)conn.ExecScript(sql + "COMMIT");
    if (conn.in_transaction()) (void)conn.ExecScript("ROLLBACK");
    return;
  }
  if (mode == 1) {
    for (const auto& s : statements) (void)conn.ExecScript(s);
    return;
  }
  (void)conn.ExecScript("BEGIN");
  for (const auto& s : statements) {
    (void)conn.ExecScript("SAVEPOINT step");
    if (conn.ExecScript(s).ok()) {
      (void)conn.ExecScript("RELEASE SAVEPOINT step");
    } else {
      (void)conn.ExecScript("ROLLBACK TO SAVEPOINT step");
    }
  }
  (void)conn.ExecScript("COMMIT");
}

std::vector<uint32_t> Seeds() {
  // STRATA_CAPTURE_SEEDS="7 8 9" replays other seeds (e.g. the one a failure printed).
  if (const char* env = std::getenv("STRATA_CAPTURE_SEEDS")) {
    std::vector<uint32_t> out;
    std::istringstream in(env);
    for (uint32_t s; in >> s;) out.push_back(s);
    return out;
  }
  return {1, 2, 3};
}

TEST(IncrementalCaptureRandom, EqualsAFullReadAfterEveryMigration) {
  constexpr int kSteps = 120;
  for (uint32_t seed : Seeds()) {
    SCOPED_TRACE(fmt::format("seed {} (replay with STRATA_CAPTURE_SEEDS={})", seed, seed));
    TestDatabase db;
    auto conn = db.Connect();
    auto migrations = db.Connect();
    ASSERT_TRUE(conn && migrations);
    IncrementalCapture capture;
    Generator gen(seed);
    int incremental = 0, full = 0, recounts = 0;
    size_t events = 0;
    ASSERT_TRUE(capture.Begin(*conn).ok());
    for (int step = 0; step < kSteps; ++step) {
      bool concurrently = false;
      const std::vector<std::string> statements = gen.Next(capture.model(), &concurrently);
      const pb::PostgresSchema before = capture.model();
      const CatalogIdentity before_identity = capture.identity();
      RunMigration(*migrations, statements, concurrently ? 1 : gen.Below(3));
      Status finished = capture.Finish(*conn);
      ASSERT_TRUE(finished.ok()) << finished.ToString();
      // The events of the parts the capture says changed are those of the whole models.
      {
        const auto change = capture.last_change();
        ASSERT_TRUE(change.has_value());
        auto from_parts = MigrationEvents({change->before, change->before_identity},
                                          {change->after, change->after_identity});
        auto from_whole =
            MigrationEvents({before, before_identity}, {capture.model(), capture.identity()});
        ASSERT_TRUE(from_parts.ok() && from_whole.ok());
        std::string parts_text, whole_text;
        for (const auto& e : *from_parts) parts_text += e.ShortDebugString() + "\n";
        for (const auto& e : *from_whole) whole_text += e.ShortDebugString() + "\n";
        std::string sql;
        for (const auto& st : statements) sql += "\n  " + st;
        ASSERT_EQ(parts_text, whole_text) << "step " << step << ", after:" << sql;
        events += from_whole->size();
      }
      (capture.stats().full ? full : incremental)++;
      recounts += capture.stats().recounted.empty() ? 0 : 1;
      CatalogIdentity identity;
      auto whole = Introspect(*conn, IntrospectOptions{}, nullptr, &identity);
      ASSERT_TRUE(whole.ok()) << whole.status().ToString();
      std::string sql;
      for (const auto& s : statements) sql += "\n  " + s;
      const std::string model_diff = Difference(capture.model(), *whole);
      ASSERT_EQ(model_diff, "") << "step " << step << ", after:" << sql;
      ASSERT_EQ(IdentityDifference(capture.identity(), identity), "")
          << "step " << step << ", after:" << sql;
      ASSERT_TRUE(capture.Begin(*conn).ok());
    }
    // The comparison means something only if most captures were incremental.
    EXPECT_GT(incremental, kSteps * 8 / 10) << full << " full reads";
    EXPECT_GT(recounts, 0);
    EXPECT_GT(events, static_cast<size_t>(kSteps));
  }
}

// ---- the decisions, on a real catalog -------------------------------------------------------

class IncrementalCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = db_.Connect();
    ASSERT_TRUE(conn_);
    ASSERT_TRUE(conn_->ExecScript("CREATE SCHEMA app; CREATE TABLE app.a (id int PRIMARY KEY, "
                                  "v text); CREATE TABLE app.b (id int REFERENCES app.a); "
                                  "CREATE VIEW app.va AS SELECT v FROM app.a")
                    .ok());
    ASSERT_TRUE(capture_.Begin(*conn_).ok());
  }
  // Runs `sql` as a migration and captures it.
  void Migrate(const std::string& sql) {
    ASSERT_TRUE(conn_->ExecScript(sql).ok()) << sql;
    Status s = capture_.Finish(*conn_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    auto whole = Introspect(*conn_, IntrospectOptions{});
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(Difference(capture_.model(), *whole), "") << sql;
    ASSERT_TRUE(capture_.Begin(*conn_).ok());
  }

  TestDatabase db_;
  std::unique_ptr<Connection> conn_;
  IncrementalCapture capture_;
};

TEST_F(IncrementalCaptureTest, TheFirstCaptureReadsEverything) {
  EXPECT_TRUE(capture_.stats().full);
  EXPECT_EQ(capture_.stats().full_reason, "first capture");
  EXPECT_TRUE(capture_.model().tables().contains("app.a"));
}

TEST_F(IncrementalCaptureTest, AddingAColumnReadsThatTableAndWhatDependsOnIt) {
  Migrate("ALTER TABLE app.b ADD COLUMN w integer");
  EXPECT_FALSE(capture_.stats().full);
  EXPECT_TRUE(capture_.stats().recounted.empty());
  EXPECT_EQ(capture_.stats().relations_read, 1u);  // app.b; nothing depends on it
  EXPECT_EQ(capture_.model().tables().at("app.b").columns_size(), 2);
}

TEST_F(IncrementalCaptureTest, RenamingAColumnRereadsTheViewAndTheForeignKeyThatShowIt) {
  Migrate("ALTER TABLE app.a RENAME COLUMN v TO body");
  EXPECT_FALSE(capture_.stats().full);
  // app.a, the view whose text shows the column, and app.b whose foreign key refers to app.a.
  EXPECT_EQ(capture_.stats().relations_read, 3u);
  EXPECT_NE(capture_.model().views().at("app.va").definition().find("body"), std::string::npos);
}

TEST_F(IncrementalCaptureTest, AMigrationThatChangesNoSchemaReadsNothingBack) {
  ASSERT_TRUE(conn_->ExecScript("CREATE TABLE app.data (v int)").ok());
  Migrate("SELECT 1");  // settles the table created above
  Migrate("INSERT INTO app.data VALUES (1); ANALYZE app.data");
  EXPECT_FALSE(capture_.stats().full);
  EXPECT_EQ(capture_.stats().relations_read, 0u);
  EXPECT_EQ(capture_.stats().queries, 4);  // BEGIN, the prepared check, the query, COMMIT
}

TEST_F(IncrementalCaptureTest, DropsAreFoundThroughTheCounts) {
  Migrate("DROP VIEW app.va");
  EXPECT_FALSE(capture_.stats().full);
  EXPECT_EQ(capture_.stats().recounted, std::vector<std::string>{"pg_class"});
  EXPECT_FALSE(capture_.model().views().contains("app.va"));
  Migrate("COMMENT ON TABLE app.a IS 'x'");
  Migrate("COMMENT ON TABLE app.a IS NULL");
  EXPECT_EQ(capture_.stats().recounted, std::vector<std::string>{"pg_description"});
  EXPECT_EQ(capture_.model().tables().at("app.a").comment(), "");
}

TEST_F(IncrementalCaptureTest, ASchemaRenameReadsEverythingAndSaysWhy) {
  Migrate("ALTER SCHEMA app RENAME TO shop");
  EXPECT_TRUE(capture_.stats().full);
  EXPECT_EQ(capture_.stats().full_reason, "schema app was renamed to shop");
  EXPECT_TRUE(capture_.model().tables().contains("shop.a"));
  // The rename's transaction is behind the next lower bound: the next capture is incremental.
  Migrate("ALTER TABLE shop.a ADD COLUMN z integer");
  EXPECT_FALSE(capture_.stats().full);
}

TEST_F(IncrementalCaptureTest, ManyChangedRelationsAreReadWhole) {
  std::string sql;
  for (int i = 0; i < 120; ++i) sql += fmt::format("CREATE TABLE app.m{} (id int);", i);
  Migrate(sql);
  EXPECT_TRUE(capture_.stats().full);
  EXPECT_EQ(capture_.stats().full_reason.find("relations changed") != std::string::npos, true)
      << capture_.stats().full_reason;
}

TEST_F(IncrementalCaptureTest, WorkDoneBetweenCapturesByTheSameRunIsNotLost) {
  // Begin after Begin (no Finish) keeps the lower bound of the first: nothing falls between.
  ASSERT_TRUE(conn_->ExecScript("CREATE TABLE app.c (id int)").ok());
  ASSERT_TRUE(capture_.Begin(*conn_).ok());
  Migrate("CREATE TABLE app.d (id int)");
  EXPECT_TRUE(capture_.model().tables().contains("app.c"));
  EXPECT_TRUE(capture_.model().tables().contains("app.d"));
}

TEST_F(IncrementalCaptureTest, ResetMakesTheNextCaptureReadEverything) {
  capture_.Reset();
  EXPECT_FALSE(capture_.has_model());
  ASSERT_TRUE(capture_.Begin(*conn_).ok());
  EXPECT_TRUE(capture_.stats().full);
  EXPECT_EQ(capture_.Finish(*conn_).ok(), true);
  EXPECT_FALSE(capture_.stats().full);
}

TEST_F(IncrementalCaptureTest, FinishWithoutBeginIsAnError) {
  IncrementalCapture fresh;
  Status s = fresh.Finish(*conn_);
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_NE(s.message().find("without a Begin"), std::string::npos) << s.ToString();
}

TEST_F(IncrementalCaptureTest, ARelationFilterReadsOnlyThoseTablesWithTheirParts) {
  auto oid = conn_->Exec("SELECT 'app.a'::regclass::oid::text");
  ASSERT_TRUE(oid.ok());
  const std::vector<uint32_t> only = {static_cast<uint32_t>(std::stoul(*oid->rows[0][0]))};
  IntrospectOptions o;
  o.only_relations = &only;
  CatalogIdentity identity;
  auto some = Introspect(*conn_, o, nullptr, &identity);
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_EQ(some->tables_size(), 1);
  EXPECT_EQ(some->views_size(), 0);
  EXPECT_EQ(some->tables().at("app.a").constraints_size(), 1);  // its key; not b's FK
  EXPECT_TRUE(some->namespaces().contains("app"));              // read whole
  EXPECT_EQ(identity.relations.size(), 1u);
  EXPECT_EQ(identity.constraints.size(), 1u);
  EXPECT_EQ(identity.columns.size(), 2u);
}

}  // namespace
}  // namespace strata::postgres
