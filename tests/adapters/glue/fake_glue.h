// FakeGlue: an in-memory Glue Data Catalog behind the JsonService seam, strict where real Glue
// is strict and moto is not, so the adapter's rules are checked without a server.
//
// Unlike moto it pages GetDatabases and GetTables (at most `page_size` items a page, never more
// than the call's MaxResults, with a NextToken), honours UpdateTable's VersionId
// (ConcurrentModificationException when the table moved on) and refuses a TableInput member
// that UpdateTable or CreateTable does not accept (the read-only members GetTable answers, such
// as DatabaseName, CreateTime or VersionId). Like moto it keeps names as it is given them, so a
// lookup in the wrong case finds nothing. Each table is kept as its GetTable answer. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "adapters/aws/json_service.h"

namespace strata::testing {

class FakeGlue : public aws::JsonService {
 public:
  struct Recorded {
    std::string operation;
    nlohmann::json input;
  };

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              aws::ServiceError* error) override;
  std::string_view service() const override { return "glue"; }

  // Knobs, set before use.
  size_t page_size = 100;  // the most items a GetDatabases or GetTables page holds

  // Makes the `nth` call of `operation` from now (1: the next one) fail with `code`.
  void FailCall(const std::string& operation, int nth, const std::string& code,
                const std::string& message);

  // Creates a database directly.
  void AddDatabase(const std::string& name);
  // Creates a table directly (a CreateTable TableInput), at version 1.
  void AddTable(const std::string& database, const nlohmann::json& table_input);
  // Gives a table `count` partitions.
  void AddPartitions(const std::string& database, const std::string& table, int count);
  // Changes a stored table (its GetTable answer) behind the adapter's back: a new version.
  void Edit(const std::string& database, const std::string& table,
            const std::function<void(nlohmann::json&)>& edit);

  bool has_database(const std::string& name) const;
  bool has_table(const std::string& database, const std::string& table) const;
  // The stored GetTable "Table" object (a copy); null when there is none.
  nlohmann::json table(const std::string& database, const std::string& table) const;

  std::vector<Recorded> calls() const;
  // The calls that change the catalog (not Get*), as "Operation" strings, in order.
  std::vector<std::string> mutations() const;
  size_t count(const std::string& operation) const;
  void ClearCalls();

 private:
  struct TableRec {
    nlohmann::json table;  // the GetTable answer's Table
    int version = 1;
    int partitions = 0;
  };
  struct DatabaseRec {
    std::map<std::string, TableRec> tables;
  };
  struct Failure {
    int calls_left = 0;
    std::string code, message;
  };

  Result<nlohmann::json> Dispatch(const std::string& op, const nlohmann::json& in);
  Result<nlohmann::json> GetDatabases(const nlohmann::json& in);
  Result<nlohmann::json> GetDatabase(const nlohmann::json& in);
  Result<nlohmann::json> CreateDatabase(const nlohmann::json& in);
  Result<nlohmann::json> GetTables(const nlohmann::json& in);
  Result<nlohmann::json> GetTable(const nlohmann::json& in);
  Result<nlohmann::json> CreateTable(const nlohmann::json& in);
  Result<nlohmann::json> UpdateTable(const nlohmann::json& in);
  Result<nlohmann::json> DeleteTable(const nlohmann::json& in);
  Result<nlohmann::json> GetPartitions(const nlohmann::json& in);
  Result<DatabaseRec*> FindDatabase(const std::string& name);
  Result<TableRec*> FindTable(const std::string& database, const std::string& name);
  Status CheckTableInput(const nlohmann::json& input);
  nlohmann::json Stored(const std::string& database, const nlohmann::json& input, int version);
  Status Fail(const std::string& code, std::string message);

  mutable std::mutex mu_;
  std::map<std::string, DatabaseRec> databases_;
  std::vector<Recorded> calls_;
  std::map<std::string, std::vector<Failure>> failures_;
  std::string error_code_, error_message_;  // of the call being handled
};

}  // namespace strata::testing
