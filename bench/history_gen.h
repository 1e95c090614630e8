// HistoryGenerator: a seeded, valid DynamoDB change history for the benchmarks.
//
// Tables are created over most of the history and changed in between, the way a growing team
// adds tables and keeps tuning them. Every change is a mutation of a copy of one table, turned
// into events by Diff on single-table schemas; the generator's own tables then move forward by
// Apply of exactly those events, so the history replays by construction. The same options give
// the same commits, byte for byte. Not thread-safe.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::bench {

struct HistoryOptions {
  // Generation stops once at least this many events were produced (the last commit is cut
  // short, so the total is exact unless one change alone yields several events).
  uint64_t events = 1'000'000;
  uint32_t tables = 10'000;
  uint64_t seed = 1;
  int max_events_per_commit = 50;
  // Tables are created, at an even rate, over this leading fraction of the events.
  double creation_span = 0.9;
  int64_t start_unix_micros = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z
  int64_t span_micros = int64_t{2} * 365 * 86'400 * 1'000'000;
};

// A point in history and a table that exists there (for time-travel probes).
struct Probe {
  uint64_t seq = 0;
  std::string table;
};

class HistoryGenerator {
 public:
  explicit HistoryGenerator(HistoryOptions options);

  bool Done() const { return events_ >= options_.events; }
  // The next commit, with everything but seq and prev_hash (CommitWriter sets those).
  // Internal when a generated change does not apply: a bug here or in Diff/Apply.
  Result<pb::Commit> Next();

  uint64_t events() const { return events_; }
  uint64_t commits() const { return commits_; }
  uint32_t tables_created() const { return static_cast<uint32_t>(created_at_.size()); }
  // Per event kind (the DynamoChange oneof field name), how many were generated.
  const std::vector<std::pair<std::string, uint64_t>>& kind_counts() const { return kinds_; }

  // Deterministic, realistic and unique: "payments-invoices-0042".
  static std::string TableName(uint32_t i);
  // `count` probes with seqs spread uniformly over the commits generated so far.
  std::vector<Probe> Probes(int count, uint64_t seed) const;

 private:
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double percent) {
    return std::uniform_real_distribution<double>(0, 100)(rng_) < percent;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  bool ShouldCreate() const;
  pb::DynamoTable NewTable(uint32_t i);
  void Mutate(pb::DynamoTable* t);
  void AddGlobalIndex(pb::DynamoTable* t);
  void Define(pb::DynamoTable* t, const std::string& name);
  pb::DynamoThroughput Throughput();
  pb::DynamoProjection Projection();
  void SetBilling(pb::DynamoTable* t, pb::DynamoBillingMode mode);
  // A change to one table: its events and the table they leave behind.
  struct Step {
    uint32_t table_number = 0;
    bool create = false;
    std::vector<pb::Event> events;  // empty when the mutation changed nothing
    pb::DynamoTable table;
  };
  // Diffs table `i` (nothing, for a new one) against `next` and applies the events to a copy,
  // so that what is kept is what replay will produce.
  Result<Step> Plan(uint32_t i, bool create, pb::DynamoTable next);
  void Accept(Step step, std::vector<pb::Event>* events);
  void FillHeader(const std::vector<pb::Event>& events, pb::Commit* commit);
  void Count(const pb::Event& e);

  HistoryOptions options_;
  std::mt19937_64 rng_;
  std::vector<pb::DynamoTable> tables_;  // by table number; only created ones
  std::vector<uint64_t> created_at_;     // seq that created table i (ascending)
  std::vector<std::pair<std::string, uint64_t>> kinds_;
  uint64_t events_ = 0;
  uint64_t commits_ = 0;
  int64_t last_time_ = 0;
};

}  // namespace strata::bench
