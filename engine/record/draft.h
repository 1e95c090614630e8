// Draft: a commit that is not recorded yet, built by one typed builder per origin. It holds
// everything but seq, prev_hash, time and actor, which the Recorder sets under the writer lock
// (recorder.h). Intents (Generate, Push, Import, Drop) carry events computed against a head;
// facts (a migration that ran, a deployment, a tag) say what happened and hold at any head,
// and may say when it happened (set_time), which the Recorder then stamps.
// A value type; not thread-safe to mutate concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "proto/commit.pb.h"

namespace strata::record {

class Draft {
 public:
  const pb::Commit& commit() const { return commit_; }

  // Schema-changing intents.
  static Draft Generate(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                        std::string message);
  static Draft Push(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                    std::string message);
  static Draft Import(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                      std::string message);
  static Draft Drop(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                    std::string message);
  // PostgreSQL: a migration applied for the first time (its SQL and typed events), and one
  // recorded after the fact (applied to a database, missing from the log).
  static Draft Migrate(std::string schema, pb::MigrationBody body, std::vector<pb::Event> events,
                       std::string message);
  static Draft Recovered(std::string schema, pb::MigrationBody body,
                         std::vector<pb::Event> events, std::string message);
  // Facts: a deployment (optionally carrying the migration body it deployed), a tag.
  static Draft Deploy(std::string schema, pb::Engine engine, pb::Deployment deployment,
                      std::string message);
  static Draft MigrationDeploy(std::string schema, pb::MigrationBody body,
                               pb::Deployment deployment, std::string message,
                               pb::Origin origin = pb::ORIGIN_DEPLOY);
  static Draft Tag(std::string name, uint64_t target_seq, bool deleted, std::string message);
  // The log moves to `to` (strata.yaml's log: value): the last commit this store takes.
  static Draft Relocate(std::string to, std::string message);

  // The actor's cloud principal (e.g. the caller ARN from STS), when known.
  void set_cloud_principal(std::string arn);
  // When what the draft records happened (a migration that finished), in Unix microseconds,
  // if that is earlier than its recording; the Recorder stamps it instead of its clock, never
  // before the head's time. 0: the Recorder's clock.
  void set_time(int64_t unix_micros);
  // No events and no deployment, tag or migration: nothing worth recording.
  bool empty_change() const;

 private:
  friend class Recorder;  // moves the commit out instead of copying it
  static Draft Intent(pb::Origin origin, std::string schema, pb::Engine engine,
                      std::vector<pb::Event> events, std::string message);

  pb::Commit commit_;
};

}  // namespace strata::record
