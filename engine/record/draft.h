// Draft: a commit that is not recorded yet — everything but its seq, previous hash, time and
// actor, which the Recorder sets under the writer lock. One builder per origin, so a commit's
// shape is decided in one place and commands never assemble pb::Commit by hand.
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
  // recorded after the fact.
  static Draft Migrate(std::string schema, pb::MigrationBody body, std::vector<pb::Event> events,
                       std::string message);
  static Draft Recovered(std::string schema, pb::MigrationBody body,
                         std::vector<pb::Event> events, std::string message);
  // Facts: a deployment (optionally carrying the migration it deployed), a tag.
  static Draft Deploy(std::string schema, pb::Engine engine, pb::Deployment deployment,
                      std::string message);
  static Draft MigrationDeploy(std::string schema, pb::MigrationBody body,
                               pb::Deployment deployment, std::string message,
                               pb::Origin origin = pb::ORIGIN_DEPLOY);
  static Draft Tag(std::string name, uint64_t target_seq, bool deleted, std::string message);

  // The actor's cloud principal (the caller ARN from STS), when known.
  void set_cloud_principal(std::string arn) {
    commit_.mutable_actor()->set_cloud_principal(std::move(arn));
  }
  // No events and no deployment, tag or migration: nothing worth recording.
  bool empty_change() const;

 private:
  static Draft Changes(pb::Origin origin, std::string schema, pb::Engine engine,
                       std::vector<pb::Event> events, std::string message);
  pb::Commit commit_;
};

}  // namespace strata::record
