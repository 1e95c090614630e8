// A fresh database on the test cluster (tests/support/postgres_server.sh) for one test.
//
// The cluster listens on 127.0.0.1 with trust auth for user "postgres", on the port its fixture
// wrote to STRATA_TEST_PG_DIR/port.
// Each TestDatabase creates a uniquely named database and drops it when destroyed, so tests
// can run in parallel without seeing each other's objects.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <unistd.h>

#include "adapters/postgres/connection.h"
#include "tests/support/ports.h"

namespace strata::testing {

// The port of the test cluster (read once).
inline int TestClusterPort() {
  static const int port = ReadPortFile(STRATA_TEST_PG_DIR);
  return port;
}

inline std::string TestClusterConninfo(const std::string& dbname) {
  return "host=127.0.0.1 port=" + std::to_string(TestClusterPort()) +
         " user=postgres dbname=" + dbname;
}

class TestDatabase {
 public:
  TestDatabase() {
    static std::atomic<int> counter{0};
    name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    auto admin = postgres::Connection::Open(TestClusterConninfo("postgres"));
    if (!admin.ok()) {
      ADD_FAILURE() << admin.status().ToString();
      return;
    }
    // One statement per call: a multi-statement string runs as one implicit transaction,
    // and CREATE/DROP DATABASE refuse to run inside one.
    for (const std::string& sql :
         {"DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)", "CREATE DATABASE " + name_}) {
      Status s = (*admin)->ExecScript(sql);
      if (!s.ok()) ADD_FAILURE() << s.ToString();
    }
  }
  ~TestDatabase() {
    auto admin = postgres::Connection::Open(TestClusterConninfo("postgres"));
    if (admin.ok()) {
      (void)(*admin)->ExecScript("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  std::string conninfo() const { return TestClusterConninfo(name_); }
  // libpq environment for a child process (strata or psql) pointed at this database.
  std::string env_prefix() const {
    return "PGHOST=127.0.0.1 PGPORT=" + std::to_string(TestClusterPort()) +
           " PGUSER=postgres PGDATABASE=" + name_ + " ";
  }
  std::unique_ptr<postgres::Connection> Connect() const {
    auto c = postgres::Connection::Open(conninfo());
    if (!c.ok()) {
      ADD_FAILURE() << c.status().ToString();
      return nullptr;
    }
    return std::move(*c);
  }

 private:
  std::string name_;
};

}  // namespace strata::testing
