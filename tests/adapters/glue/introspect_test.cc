// ReadCatalog, ReadTable and HasPartitions against a fake Glue that pages like the real one
// (moto never pages: G1), keeps names in the case it was given (moto, G2), and fails on demand.
#include "adapters/glue/introspect.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/adapters/glue/fake_glue.h"
#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

using nlohmann::json;
using strata::testing::FakeGlue;

json Minimal(const std::string& name) {
  return {{"Name", name},
          {"TableType", "EXTERNAL_TABLE"},
          {"StorageDescriptor", {{"Columns", {{{"Name", "id"}, {"Type", "bigint"}}}}}}};
}

std::string TableName(int i) { return fmt::format("t{:03}", i); }

// analytics: 250 tables; sales: orders and 4 more; empty: none.
void SeedThreeDatabases(FakeGlue& glue) {
  glue.AddDatabase("analytics");
  for (int i = 0; i < 250; ++i) glue.AddTable("analytics", Minimal(TableName(i)));
  glue.AddDatabase("sales");
  glue.AddTable("sales", testing::OrdersInput());
  for (const char* t : {"customers", "invoices", "refunds", "returns"}) {
    glue.AddTable("sales", Minimal(t));
  }
  glue.AddDatabase("empty");
}

std::vector<std::string> Objects(const LiveCatalog& c) {
  std::vector<std::string> out;
  for (const auto& t : c.tables) out.push_back(t.object());
  return out;
}

// The inputs of each call of `op`, in order.
std::vector<json> Inputs(const FakeGlue& glue, const std::string& op) {
  std::vector<json> out;
  for (const auto& c : glue.calls()) {
    if (c.operation == op) out.push_back(c.input);
  }
  return out;
}

TEST(ReadCatalog, FollowsNextTokenAndReadsEveryTableOnce) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.max_concurrency = 1;
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->databases, (std::vector<std::string>{"analytics", "empty", "sales"}));
  const std::vector<std::string> objects = Objects(*c);
  EXPECT_EQ(objects.size(), 255u);
  EXPECT_EQ(std::set<std::string>(objects.begin(), objects.end()).size(), 255u);
  EXPECT_EQ(objects.front(), "analytics.t000");
  EXPECT_EQ(objects[249], "analytics.t249");
  EXPECT_EQ(objects.back(), "sales.returns");
  // One GetDatabases; analytics in 3 pages (100, 100, 50), sales and empty in one each.
  EXPECT_EQ(glue.count("GetDatabases"), 1u);
  EXPECT_EQ(glue.count("GetTables"), 5u);
  EXPECT_EQ(glue.calls().size(), 6u);
  std::map<std::string, std::vector<json>> by_db;
  for (const auto& in : Inputs(glue, "GetTables")) {
    EXPECT_EQ(in.at("MaxResults"), 100) << in.dump();
    by_db[in.at("DatabaseName").get<std::string>()].push_back(in);
  }
  ASSERT_EQ(by_db["analytics"].size(), 3u);
  EXPECT_FALSE(by_db["analytics"][0].contains("NextToken"));
  EXPECT_EQ(by_db["analytics"][1].at("NextToken"), "page-after:t099");
  EXPECT_EQ(by_db["analytics"][2].at("NextToken"), "page-after:t199");
}

TEST(ReadCatalog, ConcurrentReadsFindTheSameCatalog) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.max_concurrency = 4;
  std::vector<std::pair<size_t, size_t>> progress;
  o.progress = [&progress](size_t done, size_t total) { progress.push_back({done, total}); };
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->tables.size(), 255u);
  EXPECT_EQ(glue.count("GetTables"), 5u);
  EXPECT_EQ(progress, (std::vector<std::pair<size_t, size_t>>{{1, 3}, {2, 3}, {3, 3}}));
}

TEST(ReadCatalog, PagesTheDatabasesToo) {
  FakeGlue glue;
  glue.page_size = 2;
  for (const char* db : {"a", "b", "c", "d", "e"}) {
    glue.AddDatabase(db);
    glue.AddTable(db, Minimal("t"));
  }
  auto c = ReadCatalog({&glue, ""}, ReadOptions{});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->databases, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Objects(*c), (std::vector<std::string>{"a.t", "b.t", "c.t", "d.t", "e.t"}));
  EXPECT_EQ(glue.count("GetDatabases"), 3u);
  auto inputs = Inputs(glue, "GetDatabases");
  EXPECT_EQ(inputs[1].at("NextToken"), "page-after:b");
  EXPECT_EQ(inputs[2].at("NextToken"), "page-after:d");
}

TEST(ReadCatalog, AFailureOnALaterPageIsReportedNotAPartialCatalog) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.max_concurrency = 1;
  // analytics is read first: its second page is the second GetTables call.
  glue.FailCall("GetTables", 2, "ThrottlingException", "Rate exceeded");
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kUnavailable);
  EXPECT_NE(c.status().message().find("GetTables"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("database analytics"), std::string::npos)
      << c.status().message();
  EXPECT_NE(c.status().message().find("Rate exceeded"), std::string::npos);
}

TEST(ReadCatalog, AFailureOnTheSecondPageOfDatabasesIsReported) {
  FakeGlue glue;
  glue.page_size = 2;
  for (const char* db : {"a", "b", "c"}) glue.AddDatabase(db);
  glue.FailCall("GetDatabases", 2, "AccessDeniedException", "not authorized");
  auto c = ReadCatalog({&glue, ""}, ReadOptions{});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(c.status().message().find("glue:GetDatabases"), std::string::npos)
      << c.status().message();
}

TEST(ReadCatalog, ADatabaseGoneBeforeItsTablesAreReadIsLeftOut) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.max_concurrency = 1;
  // The first GetTables (analytics) finds the database deleted in between.
  glue.FailCall("GetTables", 1, "EntityNotFoundException", "Database analytics not found.");
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->databases, (std::vector<std::string>{"empty", "sales"}));
  EXPECT_EQ(c->tables.size(), 5u);
}

TEST(ReadCatalog, ADatabaseGoneBetweenPagesIsAnErrorNotHalfItsTables) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.max_concurrency = 1;
  glue.FailCall("GetTables", 2, "EntityNotFoundException", "Database analytics not found.");
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("database analytics"), std::string::npos)
      << c.status().message();
}

TEST(ReadCatalog, CatalogIdGoesWithEveryCall) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  auto c = ReadCatalog({&glue, "210987654321"}, ReadOptions{});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  for (const auto& call : glue.calls()) {
    EXPECT_EQ(call.input.value("CatalogId", ""), "210987654321") << call.operation;
  }
}

TEST(ReadCatalog, OnlyReadsTheNamedObjects) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.only = std::vector<std::string>{"sales.orders", "sales.missing", "empty", "nowhere",
                                    "nowhere.t"};
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->databases, (std::vector<std::string>{"empty"}));
  EXPECT_EQ(Objects(*c), (std::vector<std::string>{"sales.orders"}));
  EXPECT_EQ(glue.count("GetDatabases"), 0u);
  EXPECT_EQ(glue.count("GetTables"), 0u);
  EXPECT_EQ(glue.count("GetTable"), 3u);
  EXPECT_EQ(glue.count("GetDatabase"), 2u);
}

TEST(ReadCatalog, ManyTablesOfOneDatabaseAreReadAsItsList) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  std::vector<std::string> only;
  for (int i : {0, 1, 2, 50, 99, 100, 150, 200, 249}) only.push_back("analytics." + TableName(i));
  only.push_back("analytics.gone");
  ReadOptions o;
  o.only = only;
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  only.pop_back();
  EXPECT_EQ(Objects(*c), only);
  EXPECT_EQ(glue.count("GetTables"), 3u);
  EXPECT_EQ(glue.count("GetTable"), 0u);
}

TEST(ReadCatalog, NamesAreFoldedToLowerCaseBeforeAskingGlue) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  ReadOptions o;
  o.only = std::vector<std::string>{"Sales.ORDERS", "EMPTY"};
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->databases, (std::vector<std::string>{"empty"}));
  EXPECT_EQ(Objects(*c), (std::vector<std::string>{"sales.orders"}));
  auto get_table = Inputs(glue, "GetTable");
  ASSERT_EQ(get_table.size(), 1u);
  EXPECT_EQ(get_table[0], (json{{"DatabaseName", "sales"}, {"Name", "orders"}}));
  EXPECT_EQ(Inputs(glue, "GetDatabase").at(0), (json{{"Name", "empty"}}));
}

TEST(ReadCatalog, MixedCaseNamesStoredByMotoAreModelledInLowerCase) {
  FakeGlue glue;
  glue.AddDatabase("Sales");
  json input = Minimal("Orders");
  input["StorageDescriptor"]["Columns"] = {
      {{"Name", "userId"}, {"Type", "STRUCT<userName:STRING>"}}};
  glue.AddTable("Sales", input);
  auto c = ReadCatalog({&glue, ""}, ReadOptions{});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->databases, (std::vector<std::string>{"sales"}));
  ASSERT_EQ(c->tables.size(), 1u);
  const LiveTable& t = c->tables[0];
  EXPECT_EQ(t.object(), "sales.orders");
  EXPECT_EQ(t.table.columns(0).name(), "userid");
  EXPECT_EQ(t.table.columns(0).type(), "struct<username:string>");
  // Calls about it use the names Glue stored.
  EXPECT_EQ(t.glue_database(), "Sales");
  EXPECT_EQ(t.glue_name(), "Orders");
}

TEST(ReadCatalog, OtherFailuresOfANamedReadAreReported) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  glue.FailCall("GetTable", 1, "AccessDeniedException", "no");
  ReadOptions o;
  o.only = std::vector<std::string>{"sales.orders"};
  auto c = ReadCatalog({&glue, ""}, o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("table sales.orders"), std::string::npos)
      << c.status().message();
}

TEST(ReadTable, AMissingTableOrDatabaseIsNullopt) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  auto missing_table = ReadTable({&glue, ""}, "sales", "nope");
  ASSERT_TRUE(missing_table.ok()) << missing_table.status().ToString();
  EXPECT_FALSE(missing_table->has_value());
  auto missing_db = ReadTable({&glue, ""}, "nope", "orders");
  ASSERT_TRUE(missing_db.ok()) << missing_db.status().ToString();
  EXPECT_FALSE(missing_db->has_value());
}

TEST(ReadTable, ReadsTheModelTheAnswerAndTheVersion) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  auto t = ReadTable({&glue, ""}, "sales", "orders");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->object(), "sales.orders");
  EXPECT_EQ((*t)->version_id, "1");
  EXPECT_EQ((*t)->glue.at("Owner"), "hadoop");
  EXPECT_EQ((*t)->table.columns_size(), 3);
}

TEST(LiveTableFromGlue, TakesTheDatabaseFromTheAnswerInLowerCase) {
  json t = testing::OrdersGlue();
  t["DatabaseName"] = "SALES";
  LiveTable live = LiveTableFromGlue(t, "ignored");
  EXPECT_EQ(live.database, "sales");
  EXPECT_EQ(live.glue_database(), "SALES");
  EXPECT_EQ(live.version_id, "3");
  t.erase("DatabaseName");
  EXPECT_EQ(LiveTableFromGlue(t, "Lake").database, "lake");
}

TEST(SplitObject, DatabaseAndTable) {
  EXPECT_EQ(SplitObject("sales.orders"), (std::pair<std::string, std::string>{"sales", "orders"}));
  EXPECT_EQ(SplitObject("sales"), (std::pair<std::string, std::string>{"sales", ""}));
}

TEST(HasPartitions, AsksForOnePartitionByTheStoredNames) {
  FakeGlue glue;
  glue.AddDatabase("Sales");
  glue.AddTable("Sales", Minimal("Orders"));
  auto c = ReadCatalog({&glue, ""}, ReadOptions{});
  ASSERT_TRUE(c.ok());
  const LiveTable& t = c->tables.at(0);
  auto none = HasPartitions({&glue, ""}, t);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(*none);
  glue.AddPartitions("Sales", "Orders", 3);
  auto some = HasPartitions({&glue, ""}, t);
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_TRUE(*some);
  EXPECT_EQ(Inputs(glue, "GetPartitions").back(),
            (json{{"DatabaseName", "Sales"}, {"TableName", "Orders"}, {"MaxResults", 1}}));
}

TEST(HasPartitions, AFailureNamesTheTable) {
  FakeGlue glue;
  SeedThreeDatabases(glue);
  glue.FailCall("GetPartitions", 1, "AccessDeniedException", "no");
  auto r = HasPartitions({&glue, ""}, testing::OrdersLive());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("glue:GetPartitions on table sales.orders"),
            std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace strata::glue
