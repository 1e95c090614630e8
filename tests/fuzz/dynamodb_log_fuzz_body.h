// The check every fuzz input of the DynamoDB log store goes through (dynamodb_log_fuzz.cc and the
// seed replay, fuzz_seeds_test.cc): the items another writer, a damaged table or a hostile
// endpoint hands back. The input is the script of DynamoDB's answers, one per call, separated by
// NUL bytes; each answer is a JSON object (what the JSON client passes on: anything else it
// turns into Unavailable itself, ServiceClientTest.AnAnswerThatIsNotAJsonObjectIsUnavailable) or
// "!CODE" for an error answer with that AWS error code. Past the script, every call is
// Unavailable. The store is opened (DescribeTable, waiting on a clock that only the store's
// sleeps move), then ReadHead and Read(1, 64) run. The contract: each gives a value
// or an error Status — never an exception, a crash or a hang — and entries Read returns are
// dense from seq 1, each with the SHA-256 of its payload as its hash.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/aws/json_service.h"
#include "adapters/dynamodb/log_store.h"
#include "engine/store/hash.h"

namespace strata::fuzz {

class ScriptedDynamoDb final : public aws::JsonService {
 public:
  explicit ScriptedDynamoDb(std::string_view script) {
    size_t at = 0;
    while (at <= script.size()) {
      const size_t end = std::min(script.find('\0', at), script.size());
      answers_.emplace_back(script.substr(at, end - at));
      at = end + 1;
    }
  }
  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json&,
                              aws::ServiceError* error) override {
    if (next_ >= answers_.size()) return Status::Unavailable("dynamodb: the script has ended");
    const std::string& answer = answers_[next_++];
    if (answer.starts_with("!")) {
      if (error != nullptr) error->code = answer.substr(1);
      if (answer == "!ResourceNotFoundException") {
        return Status::NotFound("dynamodb " + std::string(operation) + ": not found");
      }
      return Status::Unavailable("dynamodb " + std::string(operation) + ": " + answer.substr(1));
    }
    nlohmann::json doc = nlohmann::json::parse(answer, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Status::Unavailable("dynamodb: the answer is not a JSON object");
    }
    return doc;
  }
  std::string_view service() const override { return "dynamodb"; }

 private:
  std::vector<std::string> answers_;
  size_t next_ = 0;
};

inline std::string DynamoLogViolation(std::string_view input) {
  auto clock = std::make_shared<int64_t>(0);
  dynamodb::DynamoLogStoreOptions o;
  o.table = "strata-log";
  o.sleep_ms = [clock](int64_t ms) { *clock += ms; };
  o.steady_ms = [clock] { return *clock; };
  o.wait_timeout_ms = 10'000;
  o.poll_interval_ms = 1'000;
  o.query_page_items = 3;
  try {
    auto store = dynamodb::DynamoLogStore::Open(std::make_unique<ScriptedDynamoDb>(input), o);
    if (!store.ok()) return "";
    (void)(*store)->ReadHead();
    auto entries = (*store)->Read(1, 64);
    if (entries.ok()) {
      for (size_t i = 0; i < entries->size(); ++i) {
        const LogEntry& e = (*entries)[i];
        if (e.seq != i + 1) return "Read gave seq " + std::to_string(e.seq) + " at place " +
                                   std::to_string(i + 1);
        if (e.hash != Sha256(e.payload)) {
          return "Read gave commit " + std::to_string(e.seq) + " with a hash of other bytes";
        }
      }
    }
  } catch (const std::exception& e) {
    return std::string("an exception: ") + e.what();
  }
  return "";
}

}  // namespace strata::fuzz
