// FakeLogStore: a LogStore in memory, shared by every handle made from one FakeLog, with
// scripted faults for the writer protocol's tests: replies lost after the write was applied,
// requests lost before it, reads that fail, and a hook that runs before each append (another
// writer getting in first). Checks entries as every store must (CheckEntry). Not thread-safe.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/store/log_store.h"

namespace strata::testing {

struct FakeLog {
  std::vector<LogEntry> entries;
  int appends = 0;                 // Append calls that reached the store
  int lose_replies = 0;            // the next N appends are applied, then answer Unavailable
  int lose_requests = 0;           // the next N appends are not applied and answer Unavailable
  int land_late = 0;               // the next N appends answer Unavailable and land at the next
                                   // ReadHead (a write still in flight when the writer looked)
  std::vector<std::pair<uint64_t, std::string>> in_flight;
  bool reads_fail = false;         // ReadHead and Read answer Unavailable
  bool fail_reads_after_lost_reply = false;  // a lost reply also breaks reads from then on
  std::function<void()> before_append;       // runs (once each time) before an append applies

  Head head() const {
    if (entries.empty()) return Head{};
    return Head{entries.back().seq, entries.back().hash, std::nullopt};
  }
};

class FakeLogStore : public LogStore {
 public:
  explicit FakeLogStore(std::shared_ptr<FakeLog> log, bool shared = true)
      : log_(std::move(log)), shared_(shared) {}

  std::string Describe() const override { return "fake log"; }
  bool shared() const override { return shared_; }

  Result<Head> ReadHead() override {
    if (log_->reads_fail) return Status::Unavailable("fake log: reads fail");
    for (auto& [seq, payload] : std::exchange(log_->in_flight, {})) {
      if (seq == log_->head().seq + 1 && CheckEntry(seq, payload, log_->head()).ok()) {
        log_->entries.push_back(LogEntry{seq, payload, Sha256(payload)});
      }
    }
    return log_->head();
  }
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override {
    if (log_->reads_fail) return Status::Unavailable("fake log: reads fail");
    std::vector<LogEntry> out;
    for (const LogEntry& e : log_->entries) {
      if (e.seq >= from && out.size() < limit) out.push_back(e);
    }
    return out;
  }
  Result<Head> Append(uint64_t seq, std::string_view payload) override {
    ++log_->appends;
    if (auto hook = std::move(log_->before_append)) {
      log_->before_append = nullptr;
      hook();
    }
    if (log_->land_late > 0) {
      --log_->land_late;
      log_->in_flight.emplace_back(seq, std::string(payload));
      return Status::Unavailable("fake log: no answer (the write is still on its way)");
    }
    if (log_->lose_requests > 0) {
      --log_->lose_requests;
      return Status::Unavailable("fake log: the request was lost");
    }
    const Head head = log_->head();
    if (seq <= head.seq) {
      return Status::Conflict(fmt::format("fake log: entry {} exists", seq));
    }
    STRATA_RETURN_IF_ERROR(CheckEntry(seq, payload, head));
    log_->entries.push_back(LogEntry{seq, std::string(payload), Sha256(payload)});
    if (log_->lose_replies > 0) {
      --log_->lose_replies;
      if (log_->fail_reads_after_lost_reply) log_->reads_fail = true;
      return Status::Unavailable("fake log: the connection was lost after the write");
    }
    return log_->head();
  }

 private:
  std::shared_ptr<FakeLog> log_;
  bool shared_;
};

}  // namespace strata::testing
