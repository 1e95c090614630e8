// The decisions of adapters/postgres/capture_incremental without a server: when a capture reads
// the whole catalog, when it fetches a key list, which relations it reads, and how a partial
// read is merged into the model.
#include "adapters/postgres/capture_incremental.h"

#include <gtest/gtest.h>

namespace strata::postgres::incremental {
namespace {

constexpr int kClass = static_cast<int>(Tracked::kClass);
constexpr int kDescription = static_cast<int>(Tracked::kDescription);
constexpr int kInherits = static_cast<int>(Tracked::kInherits);

// A state that knows three pg_class rows (two tables and an index of the first) and a schema.
KeyState ThreeRelations() {
  KeyState s;
  s.keys[kClass] = {{"10", {10, 0}}, {"11", {11, 0}}, {"12", {10, 0}}};
  s.keys[kInherits] = {{"11/10", {11, 10}}};
  s.namespaces = {{2200, "public"}, {500, "app"}};
  s.unscoped_counts = {{"pg_proc", 3000}, {"pg_type", 600}};
  return s;
}

// Changes with the counts a migration that wrote nothing would show.
Changes NothingWritten(const KeyState& s) {
  Changes c;
  for (int i = 0; i < kTrackedCount; ++i) c.counts[i] = static_cast<int64_t>(s.keys[i].size());
  c.unscoped_counts = s.unscoped_counts;
  return c;
}

TEST(IncrementalDecide, NothingWrittenReadsNothing) {
  const KeyState s = ThreeRelations();
  Plan p = Decide(s, NothingWritten(s));
  EXPECT_FALSE(p.full_reason);
  EXPECT_TRUE(p.relations.empty());
  EXPECT_TRUE(p.recount.empty());
  EXPECT_FALSE(p.unscoped);
}

TEST(IncrementalDecide, ASchemaRenameReadsEverythingAndNamesIt) {
  const KeyState s = ThreeRelations();
  Changes c = NothingWritten(s);
  c.namespaces = {{500, "shop"}};
  Plan p = Decide(s, c);
  ASSERT_TRUE(p.full_reason);
  EXPECT_EQ(*p.full_reason, "schema app was renamed to shop");
}

TEST(IncrementalDecide, ANewSchemaOrAGrantOnOneIsNoRename) {
  const KeyState s = ThreeRelations();
  Changes c = NothingWritten(s);
  c.namespaces = {{501, "fresh"}, {500, "app"}};
  EXPECT_FALSE(Decide(s, c).full_reason);
}

TEST(IncrementalDecide, WrittenKeysGiveTheirOwnersAndNewOnesRaiseTheExpectedCount) {
  const KeyState s = ThreeRelations();
  Changes c = NothingWritten(s);
  c.written[kClass] = {{"12", {10, 0}}, {"13", {10, 0}}};  // a rewritten index, a new one
  c.counts[kClass] = 4;                                    // 3 + the new one
  c.relations = {40};                                      // e.g. a view depending on them
  Plan p = Decide(s, c);
  EXPECT_EQ(p.relations, (std::set<uint32_t>{10, 40}));
  EXPECT_TRUE(p.recount.empty());
}

TEST(IncrementalDecide, ACountBelowTheExpectedOneMeansDeletionsAndAKeyList) {
  const KeyState s = ThreeRelations();
  Changes c = NothingWritten(s);
  c.written[kClass] = {{"13", {10, 0}}};
  c.counts[kClass] = 3;  // one new, so one deleted
  c.counts[kDescription] = 1;  // a comment made before the lower bound by another session
  Plan p = Decide(s, c);
  EXPECT_EQ(p.recount, (std::vector<Tracked>{Tracked::kClass, Tracked::kDescription}));
}

TEST(IncrementalDecide, WhatIsReadWholeIsReadAgainOnlyWhenWrittenOrCountedDifferently) {
  const KeyState s = ThreeRelations();
  Changes c = NothingWritten(s);
  c.unscoped_written = true;
  EXPECT_TRUE(Decide(s, c).unscoped);
  c = NothingWritten(s);
  c.unscoped_counts["pg_proc"] = 2999;  // DROP FUNCTION leaves only the missing row
  EXPECT_TRUE(Decide(s, c).unscoped);
}

TEST(IncrementalRecount, OwnersOfKeysThatWentOrCameAreRead) {
  KeyState s = ThreeRelations();
  std::set<uint32_t> relations;
  Recount(Tracked::kInherits, KeyMap{{"21/20", {21, 20}}}, &s, &relations);
  // The detached partition 11 and its parent 10, and the link another session made.
  EXPECT_EQ(relations, (std::set<uint32_t>{10, 11, 20, 21}));
  EXPECT_EQ(s.keys[kInherits].size(), 1u);
  EXPECT_TRUE(s.keys[kInherits].contains("21/20"));
}

TEST(IncrementalRemember, WrittenKeysAndSchemasAreKept) {
  KeyState s = ThreeRelations();
  Changes c = NothingWritten(s);
  c.written[kClass] = {{"13", {10, 0}}};
  c.namespaces = {{501, "fresh"}};
  c.unscoped_counts["pg_proc"] = 3001;
  Remember(c, &s);
  EXPECT_EQ(s.keys[kClass].at("13"), (Owners{10, 0}));
  EXPECT_EQ(s.namespaces.at(501), "fresh");
  EXPECT_EQ(s.unscoped_counts.at("pg_proc"), 3001);
}

TEST(IncrementalTooMany, AFewRelationsAreAlwaysReadOnTheirOwn) {
  EXPECT_FALSE(TooMany(kMinPartialLimit, 10, 0.5));
  EXPECT_FALSE(TooMany(400, 1000, 0.5));
  auto reason = TooMany(600, 1000, 0.5);
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason, "600 of 1000 relations changed");
}

// ---- Merge -------------------------------------------------------------------------------

pb::PgTable Table(const std::string& schema, const std::string& name,
                  const std::string& column) {
  pb::PgTable t;
  t.set_schema(schema);
  t.set_name(name);
  t.add_columns()->set_name(column);
  return t;
}

struct Fixture {
  pb::PostgresSchema model;
  CatalogIdentity identity;
  Fixture() {
    (*model.mutable_tables())["public.a"] = Table("public", "a", "x");
    (*model.mutable_tables())["public.b"] = Table("public", "b", "y");
    (*model.mutable_tables())["public.c"] = Table("public", "c", "z");
    (*model.mutable_functions())["public.f()"].set_name("f");
    pb::PgSequence& q = (*model.mutable_sequences())["public.s"];
    q.set_name("s");
    q.mutable_acl()->add_grants()->set_grantee("reader");
    identity.relations = {{10, "public.a"}, {11, "public.b"}, {12, "public.c"}, {30, "public.s"}};
    identity.columns = {{{10, 1}, "x"}, {{11, 1}, "y"}, {{12, 1}, "z"}};
    identity.indexes = {{20, {10, "a_x"}}, {21, {11, "b_y"}}};
    identity.functions = {{40, "public.f()"}};
  }
};

TEST(IncrementalMerge, ARenamedTableReplacesItsOldKeyAndADroppedOneGoes) {
  Fixture f;
  pb::PostgresSchema partial;
  (*partial.mutable_tables())["public.a2"] = Table("public", "a2", "x");
  CatalogIdentity read;
  read.relations = {{10, "public.a2"}};
  read.columns = {{{10, 1}, "x"}};
  Merge({10, 11}, /*unscoped=*/false, partial, read, &f.model, &f.identity);
  EXPECT_FALSE(f.model.tables().contains("public.a"));
  EXPECT_TRUE(f.model.tables().contains("public.a2"));
  EXPECT_FALSE(f.model.tables().contains("public.b"));  // 11 was read and is gone
  EXPECT_EQ(f.model.tables().at("public.c").columns(0).name(), "z");
  EXPECT_TRUE(f.model.functions().contains("public.f()"));  // not read: kept
  EXPECT_EQ(f.identity.relations,
            (std::map<uint32_t, std::string>{{10, "public.a2"}, {12, "public.c"},
                                             {30, "public.s"}}));
  EXPECT_EQ(f.identity.columns.size(), 2u);  // a2.x and c.z
  EXPECT_EQ(f.identity.indexes.size(), 0u);  // a's index was not read back, b's table is gone
  EXPECT_EQ(f.identity.functions.size(), 1u);
}

TEST(IncrementalMerge, AnUnscopedReadReplacesWholePartsButKeepsPrivilegesOfSequencesNotRead) {
  Fixture f;
  pb::PostgresSchema partial;
  (*partial.mutable_functions())["public.g()"].set_name("g");
  (*partial.mutable_sequences())["public.s"].set_name("s");  // no privileges: not read by
                                                             // relation
  CatalogIdentity read;
  read.relations = {{30, "public.s"}};
  read.functions = {{41, "public.g()"}};
  Merge({}, /*unscoped=*/true, partial, read, &f.model, &f.identity);
  EXPECT_FALSE(f.model.functions().contains("public.f()"));
  EXPECT_TRUE(f.model.functions().contains("public.g()"));
  EXPECT_EQ(f.model.tables_size(), 3);
  EXPECT_EQ(f.model.sequences().at("public.s").acl().grants(0).grantee(), "reader");
  EXPECT_EQ(f.identity.functions, (std::map<uint32_t, std::string>{{41, "public.g()"}}));
}

pb::PgOtherObject Fallback(const std::string& kind, const std::string& name) {
  pb::PgOtherObject o;
  o.set_kind(kind);
  o.set_schema("public");
  o.set_name(name);
  o.set_definition("CREATE ...");
  return o;
}

// A table the model cannot hold is kept in its fallback form: it is read with its relation.
TEST(IncrementalMerge, FallbackFormsOfTablesGoWithTheirRelationOthersAreReadWhole) {
  for (bool unscoped : {false, true}) {
    SCOPED_TRACE(unscoped ? "unscoped" : "relations only");
    Fixture f;
    (*f.model.mutable_others())["table:public.a"] = Fallback("table", "a");
    (*f.model.mutable_others())["table:public.c"] = Fallback("table", "c");
    (*f.model.mutable_others())["operator:public.+"] = Fallback("operator", "+");
    pb::PostgresSchema partial;
    (*partial.mutable_others())["table:public.a2"] = Fallback("table", "a2");
    if (unscoped) (*partial.mutable_others())["operator:public.+"] = Fallback("operator", "+");
    CatalogIdentity read;
    read.relations = {{10, "public.a2"}};
    Merge({10}, unscoped, partial, read, &f.model, &f.identity);
    EXPECT_FALSE(f.model.others().contains("table:public.a"));  // renamed
    EXPECT_TRUE(f.model.others().contains("table:public.a2"));
    EXPECT_TRUE(f.model.others().contains("table:public.c"));  // not read: kept
    EXPECT_TRUE(f.model.others().contains("operator:public.+"));
  }
}

TEST(IncrementalMerge, ASequenceReadByRelationTakesItsNewPrivileges) {
  Fixture f;
  pb::PostgresSchema partial;
  (*partial.mutable_sequences())["public.s"].set_name("s");
  CatalogIdentity read;
  read.relations = {{30, "public.s"}};
  Merge({30}, /*unscoped=*/true, partial, read, &f.model, &f.identity);
  EXPECT_FALSE(f.model.sequences().at("public.s").has_acl());  // the revoke is kept
}

}  // namespace
}  // namespace strata::postgres::incremental
