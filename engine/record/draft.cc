#include "engine/record/draft.h"

namespace strata::record {

Draft Draft::Changes(pb::Origin origin, std::string schema, pb::Engine engine,
                     std::vector<pb::Event> events, std::string message) {
  Draft d;
  d.commit_.set_origin(origin);
  d.commit_.set_schema(std::move(schema));
  d.commit_.set_engine(engine);
  d.commit_.set_message(std::move(message));
  for (auto& e : events) *d.commit_.add_events() = std::move(e);
  return d;
}

Draft Draft::Generate(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                      std::string message) {
  return Changes(pb::ORIGIN_GENERATE, std::move(schema), engine, std::move(events),
                 std::move(message));
}

Draft Draft::Push(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                  std::string message) {
  return Changes(pb::ORIGIN_PUSH, std::move(schema), engine, std::move(events),
                 std::move(message));
}

Draft Draft::Import(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                    std::string message) {
  return Changes(pb::ORIGIN_IMPORT, std::move(schema), engine, std::move(events),
                 std::move(message));
}

Draft Draft::Drop(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                  std::string message) {
  return Changes(pb::ORIGIN_DROP, std::move(schema), engine, std::move(events),
                 std::move(message));
}

Draft Draft::Migrate(std::string schema, pb::MigrationBody body, std::vector<pb::Event> events,
                     std::string message) {
  Draft d = Changes(pb::ORIGIN_MIGRATE, std::move(schema), pb::ENGINE_POSTGRES, std::move(events),
                    std::move(message));
  *d.commit_.mutable_migration() = std::move(body);
  return d;
}

Draft Draft::Recovered(std::string schema, pb::MigrationBody body, std::vector<pb::Event> events,
                       std::string message) {
  Draft d = Changes(pb::ORIGIN_RECOVERED, std::move(schema), pb::ENGINE_POSTGRES,
                    std::move(events), std::move(message));
  *d.commit_.mutable_migration() = std::move(body);
  return d;
}

Draft Draft::Deploy(std::string schema, pb::Engine engine, pb::Deployment deployment,
                    std::string message) {
  Draft d = Changes(pb::ORIGIN_DEPLOY, std::move(schema), engine, {}, std::move(message));
  *d.commit_.mutable_deployment() = std::move(deployment);
  return d;
}

Draft Draft::MigrationDeploy(std::string schema, pb::MigrationBody body,
                             pb::Deployment deployment, std::string message, pb::Origin origin) {
  Draft d = Changes(origin, std::move(schema), pb::ENGINE_POSTGRES, {}, std::move(message));
  *d.commit_.mutable_migration() = std::move(body);
  *d.commit_.mutable_deployment() = std::move(deployment);
  return d;
}

Draft Draft::Tag(std::string name, uint64_t target_seq, bool deleted, std::string message) {
  Draft d;
  d.commit_.set_origin(pb::ORIGIN_TAG);
  d.commit_.mutable_tag()->set_name(std::move(name));
  d.commit_.mutable_tag()->set_target_seq(target_seq);
  d.commit_.mutable_tag()->set_deleted(deleted);
  d.commit_.set_message(std::move(message));
  return d;
}

bool Draft::empty_change() const {
  return commit_.events_size() == 0 && !commit_.has_deployment() && !commit_.has_tag() &&
         !commit_.has_migration();
}

}  // namespace strata::record
