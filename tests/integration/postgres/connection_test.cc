// adapters/postgres/connection against the test cluster.
#include "adapters/postgres/connection.h"

#include <gtest/gtest.h>

#include "integration/postgres/test_database.h"

namespace strata::postgres {
namespace {

using strata::testing::TestDatabase;

TEST(ConnectionTest, RunsParameterisedQueriesWithNulls) {
  TestDatabase db;
  auto c = db.Connect();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->description(), "127.0.0.1:" + std::to_string(strata::testing::TestClusterPort()) + "/" + db.name());
  auto r = c->Exec("SELECT $1::text AS a, $2::int + 1 AS b, NULL::text AS c", {"x'y", "41"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->Column("b"), 1);
  EXPECT_EQ(r->rows[0][0], "x'y");
  EXPECT_EQ(r->rows[0][1], "42");
  EXPECT_EQ(r->rows[0][2], std::nullopt);
  EXPECT_GE(c->server_version(), 120000);
}

TEST(ConnectionTest, ServerErrorsNameTheServerAndKeepTheSqlstate) {
  TestDatabase db;
  auto c = db.Connect();
  ASSERT_TRUE(c);
  auto r = c->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), "query on " + c->description() +
                                      ": relation \"no_such_table\" does not exist");
  EXPECT_EQ(c->last_sqlstate(), "42P01");
  // The connection stays usable after a refused statement.
  EXPECT_TRUE(c->Exec("SELECT 1").ok());
  EXPECT_EQ(c->last_sqlstate(), "");
}

TEST(ConnectionTest, QuotingSurvivesHostileNames) {
  TestDatabase db;
  auto c = db.Connect();
  ASSERT_TRUE(c);
  const std::string name = "we\"ird ta'ble\\ ü";
  ASSERT_TRUE(c->ExecScript("CREATE TABLE " + Connection::QuoteIdent(name) + " (v text)").ok());
  ASSERT_TRUE(c->ExecScript("INSERT INTO " + Connection::QuoteIdent(name) + " VALUES (" +
                            Connection::QuoteLiteral(name) + ")")
                  .ok());
  auto r = c->Exec("SELECT v, (SELECT relname FROM pg_class WHERE relname = v) FROM " +
                   Connection::QuoteIdent(name));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0][0], name);
  EXPECT_EQ(r->rows[0][1], name);
}

TEST(ConnectionTest, FailedConnectionSaysWhereAndWhy) {
  strata::testing::ClosedPort closed;  // a port nothing listens on
  auto c = Connection::Open("host=127.0.0.1 port=" + std::to_string(closed.port()) +
                            " dbname=app user=someone connect_timeout=5");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kUnavailable);
  EXPECT_EQ(c.status().message().rfind("cannot connect to PostgreSQL at 127.0.0.1:" +
                                           std::to_string(closed.port()) + "/app: ",
                                       0),
            0u)
      << c.status().message();
  EXPECT_NE(c.status().message().find("Connection refused"), std::string::npos)
      << c.status().message();
}

TEST(ConnectionTest, MissingDatabaseIsNamed) {
  auto c = Connection::Open(strata::testing::TestClusterConninfo("no_such_db"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("database \"no_such_db\" does not exist"),
            std::string::npos)
      << c.status().message();
}

}  // namespace
}  // namespace strata::postgres
