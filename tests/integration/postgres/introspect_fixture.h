// The fixture of the introspection tests on the test cluster: a database set up by a script,
// read back as engine state, with helpers to compare and query.
#pragma once

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "adapters/postgres/introspect.h"
#include "integration/postgres/test_database.h"

namespace strata::postgres {

using strata::testing::TestDatabase;

class IntrospectTest : public ::testing::Test {
 protected:
  static std::unique_ptr<Connection> Setup(const TestDatabase& db, const std::string& sql) {
    auto conn = db.Connect();
    if (!conn) return nullptr;
    Status s = conn->ExecScript(sql);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return conn;
  }

  static pb::PostgresSchema Read(Connection& conn, const IntrospectOptions& options = {},
                                 IntrospectStats* stats = nullptr) {
    auto r = Introspect(conn, options, stats);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : pb::PostgresSchema();
  }

  static std::string OneValue(Connection& conn, const std::string& sql) {
    auto r = conn.Exec(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || r->rows.empty() || !r->rows[0][0]) return "";
    return *r->rows[0][0];
  }

  template <typename Map>
  static std::set<std::string> Keys(const Map& map) {
    std::set<std::string> keys;
    for (const auto& [k, _] : map) keys.insert(k);
    return keys;
  }

  // The differences between two states, one per line; empty when equal.
  static std::string Differences(const pb::PostgresSchema& a, const pb::PostgresSchema& b) {
    std::string report;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    d.Compare(a, b);
    return report;
  }
};

}  // namespace strata::postgres
