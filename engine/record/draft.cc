#include "engine/record/draft.h"

#include <utility>

namespace strata::record {

Draft Draft::Intent(pb::Origin origin, std::string schema, pb::Engine engine,
                    std::vector<pb::Event> events, std::string message) {
  Draft d;
  d.commit_.set_origin(origin);
  d.commit_.set_schema(std::move(schema));
  d.commit_.set_engine(engine);
  d.commit_.set_message(std::move(message));
  d.commit_.mutable_events()->Reserve(static_cast<int>(events.size()));
  for (pb::Event& e : events) d.commit_.add_events()->Swap(&e);
  return d;
}

Draft Draft::Generate(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                      std::string message) {
  return Intent(pb::ORIGIN_GENERATE, std::move(schema), engine, std::move(events),
                std::move(message));
}

Draft Draft::Push(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                  std::string message) {
  return Intent(pb::ORIGIN_PUSH, std::move(schema), engine, std::move(events),
                std::move(message));
}

Draft Draft::Import(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                    std::string message) {
  return Intent(pb::ORIGIN_IMPORT, std::move(schema), engine, std::move(events),
                std::move(message));
}

Draft Draft::Drop(std::string schema, pb::Engine engine, std::vector<pb::Event> events,
                  std::string message) {
  return Intent(pb::ORIGIN_DROP, std::move(schema), engine, std::move(events),
                std::move(message));
}

Draft Draft::Migrate(std::string schema, pb::MigrationBody body, std::vector<pb::Event> events,
                     std::string message) {
  Draft d = Intent(pb::ORIGIN_MIGRATE, std::move(schema), pb::ENGINE_POSTGRES, std::move(events),
                   std::move(message));
  d.commit_.mutable_migration()->Swap(&body);
  return d;
}

Draft Draft::Recovered(std::string schema, pb::MigrationBody body, std::vector<pb::Event> events,
                       std::string message) {
  Draft d = Intent(pb::ORIGIN_RECOVERED, std::move(schema), pb::ENGINE_POSTGRES,
                   std::move(events), std::move(message));
  d.commit_.mutable_migration()->Swap(&body);
  return d;
}

Draft Draft::Deploy(std::string schema, pb::Engine engine, pb::Deployment deployment,
                    std::string message) {
  Draft d = Intent(pb::ORIGIN_DEPLOY, std::move(schema), engine, {}, std::move(message));
  d.commit_.mutable_deployment()->Swap(&deployment);
  return d;
}

Draft Draft::MigrationDeploy(std::string schema, pb::MigrationBody body,
                             pb::Deployment deployment, std::string message, pb::Origin origin) {
  Draft d = Intent(origin, std::move(schema), pb::ENGINE_POSTGRES, {}, std::move(message));
  d.commit_.mutable_migration()->Swap(&body);
  d.commit_.mutable_deployment()->Swap(&deployment);
  return d;
}

Draft Draft::Tag(std::string name, uint64_t target_seq, bool deleted, std::string message) {
  Draft d;
  d.commit_.set_origin(pb::ORIGIN_TAG);
  d.commit_.set_message(std::move(message));
  pb::Tag* tag = d.commit_.mutable_tag();
  tag->set_name(std::move(name));
  tag->set_target_seq(target_seq);
  tag->set_deleted(deleted);
  return d;
}

Draft Draft::Relocate(std::string to, std::string message) {
  Draft d;
  d.commit_.set_origin(pb::ORIGIN_RELOCATED);
  d.commit_.set_message(std::move(message));
  d.commit_.mutable_relocation()->set_to(std::move(to));
  return d;
}

void Draft::set_cloud_principal(std::string arn) {
  commit_.mutable_actor()->set_cloud_principal(std::move(arn));
}

void Draft::set_time(int64_t unix_micros) { commit_.set_time_unix_micros(unix_micros); }

bool Draft::empty_change() const {
  return commit_.events_size() == 0 && !commit_.has_deployment() && !commit_.has_tag() &&
         !commit_.has_migration() && !commit_.has_relocation();
}

}  // namespace strata::record
