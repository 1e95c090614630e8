#include "engine/state/fragments.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/engine/testing/random_dynamo.h"
#include "tests/engine/testing/random_glue_postgres.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

pb::SchemaState Reassemble(const pb::SchemaState& s) {
  pb::SchemaState out;
  for (const auto& [object, bytes] : SplitSchema(s)) {
    EXPECT_TRUE(MergeFragment(bytes, &out).ok());
  }
  return out;
}

TEST(FragmentsTest, DynamoStatesSplitAndMergeBackExactly) {
  for (int seed = 0; seed < 500; ++seed) {
    testing::RandomDynamo rnd(seed);
    pb::SchemaState s;
    s.set_engine(pb::ENGINE_DYNAMODB);
    *s.mutable_dynamodb() = rnd.Schema();
    ASSERT_TRUE(MessageDifferencer::Equals(Reassemble(s), s)) << "seed " << seed;
    for (const auto& [object, bytes] : SplitSchema(s)) {
      if (!object.empty()) {
        EXPECT_TRUE(s.dynamodb().tables().count(object)) << object;
      }
    }
  }
}

// A DynamoDB fragment is written around the table's own bytes; it must parse to exactly the
// one-table schema a message-built fragment holds, long names and large tables included.
TEST(FragmentsTest, DynamoFragmentIsTheOneTableSchema) {
  for (int seed = 0; seed < 200; ++seed) {
    testing::RandomDynamo rnd(seed);
    pb::SchemaState s;
    s.set_engine(pb::ENGINE_DYNAMODB);
    *s.mutable_dynamodb() = rnd.Schema();
    pb::DynamoTable big = s.dynamodb().tables().empty() ? pb::DynamoTable()
                                                        : s.dynamodb().tables().begin()->second;
    for (int i = 0; i < 40; ++i) (*big.mutable_tags())["tag" + std::to_string(i)] = std::string(50, 'v');
    (*s.mutable_dynamodb()->mutable_tables())[std::string(200, 'n')] = big;
    for (const auto& [object, bytes] : SplitSchema(s)) {
      pb::SchemaState expected;
      expected.set_engine(pb::ENGINE_DYNAMODB);
      (*expected.mutable_dynamodb()->mutable_tables())[object] = s.dynamodb().tables().at(object);
      pb::SchemaState parsed;
      ASSERT_TRUE(parsed.ParseFromString(bytes)) << object;
      EXPECT_TRUE(MessageDifferencer::Equals(parsed, expected)) << "seed " << seed << " " << object;
    }
  }
}

TEST(FragmentsTest, GlueTablesAreSeparateFromTheirDatabase) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_GLUE);
  auto& db = (*s.mutable_glue()->mutable_databases())["sales"];
  db.set_name("sales");
  db.set_description("sales data");
  (*db.mutable_parameters())["owner"] = "bi";
  for (const char* t : {"orders", "refunds"}) {
    auto& table = (*db.mutable_tables())[t];
    table.set_name(t);
    table.add_columns()->set_name("id");
  }
  auto parts = SplitSchema(s);
  std::vector<std::string> names;
  for (const auto& [object, _] : parts) names.push_back(object);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"sales", "sales.orders", "sales.refunds"}));
  // Table fragments first, then the database row: order must not matter.
  pb::SchemaState out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) ASSERT_TRUE(MergeFragment(it->second, &out).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(out, s));
}

TEST(FragmentsTest, EmptySchemaKeepsItsEngine) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  s.mutable_postgres();
  auto parts = SplitSchema(s);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].first, "");
  EXPECT_TRUE(MessageDifferencer::Equals(Reassemble(s), s));
}

TEST(FragmentsTest, GarbageIsCorruption) {
  pb::SchemaState out;
  Status st = MergeFragment(std::string_view("\xff\xff\xff", 3), &out);
  EXPECT_EQ(st.code(), Code::kCorruption);
  EXPECT_EQ(st.message(), "checkpoint fragment does not parse");
}

// A Glue schema "sales" (orders, refunds) and "hr" (people), with database settings.
pb::SchemaState GlueSalesAndHr() {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_GLUE);
  for (const auto& [db_name, tables] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"sales", {"orders", "refunds"}}, {"hr", {"people"}}}) {
    auto& db = (*s.mutable_glue()->mutable_databases())[db_name];
    db.set_name(db_name);
    db.set_location_uri("s3://lake/" + db_name);
    (*db.mutable_parameters())["owner"] = db_name + "-team";
    for (const auto& t : tables) {
      auto& table = (*db.mutable_tables())[t];
      table.set_name(t);
      table.add_columns()->set_name("id");
    }
  }
  return s;
}

// Random schemas of each engine for `seeds` seeds, and the Glue schema above.
std::vector<pb::SchemaState> SchemasOfEveryEngine(int seeds) {
  std::vector<pb::SchemaState> schemas;
  for (int seed = 0; seed < seeds; ++seed) {
    pb::SchemaState d;
    d.set_engine(pb::ENGINE_DYNAMODB);
    *d.mutable_dynamodb() = testing::RandomDynamo(seed).Schema();
    pb::SchemaState g;
    g.set_engine(pb::ENGINE_GLUE);
    *g.mutable_glue() = testing::RandomGlue(seed).Schema();
    pb::SchemaState p;
    p.set_engine(pb::ENGINE_POSTGRES);
    *p.mutable_postgres() = testing::RandomPostgres(seed).Schema();
    schemas.insert(schemas.end(), {d, g, p});
  }
  schemas.push_back(GlueSalesAndHr());
  return schemas;
}

// Restoring a checkpoint in two halves: every split of a schema's fragments, merged apart and
// then joined with MergeDisjoint, gives the schema back, whatever the engine and however the
// halves cut a Glue database from its tables.
TEST(FragmentsTest, HalvesMergedApartJoinBackExactly) {
  const std::vector<pb::SchemaState> schemas = SchemasOfEveryEngine(60);
  for (size_t n = 0; n < schemas.size(); ++n) {
    const pb::SchemaState& s = schemas[n];
    auto parts = SplitSchema(s);
    std::sort(parts.begin(), parts.end());
    std::mt19937 rng(static_cast<uint32_t>(n));
    for (int cut = 0; cut < 4; ++cut) {
      pb::SchemaState first, second;
      for (const auto& [object, bytes] : parts) {
        // Cut 0 puts everything in the first half, cut 1 in the second; then random halves.
        const bool to_second = cut == 1 || (cut >= 2 && rng() % 2 == 1);
        ASSERT_TRUE(MergeFragment(bytes, to_second ? &second : &first).ok());
      }
      MergeDisjoint(&second, &first);
      ASSERT_TRUE(MessageDifferencer::Equals(first, s)) << "schema " << n << " cut " << cut;
    }
  }
}

// Threads splitting one schema for a checkpoint each take a share: whatever the number of
// shares, each fragment is in exactly one of them, the same message SplitSchema gives, and an
// empty schema's engine-only fragment goes to the first.
TEST(FragmentsTest, SharesTogetherHoldEachFragmentOnce) {
  std::vector<pb::SchemaState> schemas = SchemasOfEveryEngine(40);
  pb::SchemaState empty;
  empty.set_engine(pb::ENGINE_POSTGRES);
  schemas.push_back(empty);
  for (size_t n = 0; n < schemas.size(); ++n) {
    auto whole = SplitSchema(schemas[n]);
    std::sort(whole.begin(), whole.end());
    for (size_t shares : {2u, 3u, 7u}) {
      std::vector<std::pair<std::string, std::string>> joined;
      for (size_t share = 0; share < shares; ++share) {
        auto part = SplitSchema(schemas[n], share, shares);
        if (whole.size() >= shares) {
          EXPECT_FALSE(part.empty()) << n << " share " << share;
        }
        joined.insert(joined.end(), part.begin(), part.end());
      }
      // The same objects; each fragment the same message (map order in bytes may differ).
      std::sort(joined.begin(), joined.end());
      ASSERT_EQ(joined.size(), whole.size()) << "schema " << n << " in " << shares << " shares";
      for (size_t i = 0; i < whole.size(); ++i) {
        ASSERT_EQ(joined[i].first, whole[i].first);
        pb::SchemaState a, b;
        ASSERT_TRUE(a.ParseFromString(joined[i].second));
        ASSERT_TRUE(b.ParseFromString(whole[i].second));
        EXPECT_TRUE(MessageDifferencer::Equals(a, b))
            << "schema " << n << " object " << whole[i].first << " in " << shares << " shares";
      }
    }
  }
  auto first = SplitSchema(empty, 0, 2);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].first, "");
  EXPECT_TRUE(SplitSchema(empty, 1, 2).empty());
}

TEST(FragmentsTest, ObjectNamesAreSortedAndNameEveryTopLevelObject) {
  EXPECT_EQ(ObjectNames(GlueSalesAndHr()),
            (std::vector<std::string>{"hr", "hr.people", "sales", "sales.orders",
                                      "sales.refunds"}));
  pb::SchemaState pg;
  pg.set_engine(pb::ENGINE_POSTGRES);
  auto* p = pg.mutable_postgres();
  (*p->mutable_namespaces())["public"].set_name("public");
  (*p->mutable_tables())["public.users"].set_name("users");
  (*p->mutable_extensions())["pgcrypto"].set_name("pgcrypto");
  (*p->mutable_views())["public.active_users"].set_name("active_users");
  EXPECT_EQ(ObjectNames(pg), (std::vector<std::string>{"ext:pgcrypto", "public",
                                                        "public.active_users", "public.users"}));
}

TEST(FragmentsTest, ObjectNamesOfAnEmptySchemaAreNone) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  s.mutable_dynamodb();
  EXPECT_TRUE(ObjectNames(s).empty());
  EXPECT_TRUE(ObjectNames(pb::SchemaState()).empty());
}

TEST(FragmentsTest, SelectingAGlueTableBringsItsDatabase) {
  const pb::SchemaState s = GlueSalesAndHr();
  pb::SchemaState got = SelectObjects(s, {"sales.orders"});
  EXPECT_EQ(got.engine(), pb::ENGINE_GLUE);
  ASSERT_EQ(got.glue().databases_size(), 1);
  const pb::GlueDatabase& sales = got.glue().databases().at("sales");
  EXPECT_EQ(sales.name(), "sales");
  ASSERT_EQ(sales.tables_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(sales.tables().at("orders"),
                                         s.glue().databases().at("sales").tables().at("orders")));
  EXPECT_EQ(ObjectNames(got), (std::vector<std::string>{"sales", "sales.orders"}));
}

TEST(FragmentsTest, SelectingADatabaseAndItsTablesGivesThemBackExactly) {
  const pb::SchemaState s = GlueSalesAndHr();
  pb::SchemaState got = SelectObjects(s, {"sales", "sales.orders", "sales.refunds"});
  pb::SchemaState expected = s;
  expected.mutable_glue()->mutable_databases()->erase("hr");
  EXPECT_TRUE(MessageDifferencer::Equals(got, expected)) << got.DebugString();
  // Everything selected is the whole state.
  std::set<std::string> all;
  for (const auto& n : ObjectNames(s)) all.insert(n);
  EXPECT_TRUE(MessageDifferencer::Equals(SelectObjects(s, all), s));
}

TEST(FragmentsTest, SelectingAMissingNameSelectsNothingButKeepsTheEngine) {
  const pb::SchemaState s = GlueSalesAndHr();
  pb::SchemaState got = SelectObjects(s, {"sales.nope", "nope"});
  EXPECT_EQ(got.engine(), pb::ENGINE_GLUE);
  EXPECT_TRUE(ObjectNames(got).empty());
  EXPECT_EQ(got.glue().databases_size(), 0);

  pb::SchemaState dynamo;
  dynamo.set_engine(pb::ENGINE_DYNAMODB);
  (*dynamo.mutable_dynamodb()->mutable_tables())["orders"].set_name("orders");
  (*dynamo.mutable_dynamodb()->mutable_tables())["users"].set_name("users");
  pb::SchemaState none = SelectObjects(dynamo, {"carts"});
  EXPECT_EQ(none.engine(), pb::ENGINE_DYNAMODB);
  EXPECT_EQ(none.dynamodb().tables_size(), 0);
  pb::SchemaState users = SelectObjects(dynamo, {"users", "carts"});
  EXPECT_EQ(ObjectNames(users), (std::vector<std::string>{"users"}));
}

}  // namespace
}  // namespace strata
