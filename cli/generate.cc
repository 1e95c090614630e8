#include "cli/generate.h"

#include <fmt/format.h>

#include <set>

#include "cli/describe.h"
#include "engine/diff/diff.h"
#include "cli/target.h"
#include "engine/refs/refs.h"
#include "engine/state/apply.h"
#include "engine/state/fragments.h"
#include "engine/state/objects.h"

namespace strata::cli {
namespace {

// "create_orders", "drop_orders", "update_orders" or "changes": decided on the typed events.
std::string DefaultName(const std::vector<pb::Event>& events) {
  std::set<std::string> objects;
  std::string kind = "update";
  for (const auto& e : events) {
    objects.insert(Describe(e).object);
    if (EffectOf(e) == ObjectEffect::kCreates) kind = "create";
    if (EffectOf(e) == ObjectEffect::kDrops) kind = "drop";
  }
  if (objects.size() == 1) return kind + "_" + *objects.begin();
  return "changes";
}

std::string DefaultMessage(const std::vector<pb::Event>& events) {
  std::set<std::string> objects;
  for (const auto& e : events) objects.insert(Describe(e).object);
  return fmt::format("{} change{} to {}", events.size(), events.size() == 1 ? "" : "s",
                     fmt::join(objects, ", "));
}

pb::SchemaState RecordedOf(const pb::State& state, const std::string& schema) {
  auto it = state.schemas().find(schema);
  return it == state.schemas().end() ? pb::SchemaState() : it->second;
}

// The events that bring `recorded` to `desired` for the objects `filter` selects among both,
// and the state they lead to.
Result<std::pair<std::vector<pb::Event>, pb::SchemaState>> Changes(
    const SchemaSource& source, const pb::SchemaState& recorded, const pb::SchemaState& desired,
    const ObjectFilter& filter) {
  if (filter.everything()) {
    STRATA_ASSIGN_OR_RETURN(auto events, Diff(recorded, desired));
    return std::make_pair(std::move(events), desired);
  }
  std::set<std::string> names;
  for (auto& n : ObjectNames(recorded)) names.insert(std::move(n));
  for (auto& n : ObjectNames(desired)) names.insert(std::move(n));
  STRATA_ASSIGN_OR_RETURN(std::set<std::string> selected,
                          SelectNames(filter, {names.begin(), names.end()}, BackendOf(source),
                                      fmt::format("of schema {}", source.name)));
  STRATA_ASSIGN_OR_RETURN(
      auto events, Diff(SelectObjects(recorded, selected), SelectObjects(desired, selected)));
  pb::SchemaState after = recorded;
  for (const pb::Event& e : events) STRATA_RETURN_IF_ERROR(Apply(e, &after));
  return std::make_pair(std::move(events), std::move(after));
}

}  // namespace

Result<Generated> PendingFiles(const Context& ctx, const SchemaSource& source) {
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState desired, BackendOf(source).LoadDesired(source));
  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  Generated g;
  g.head_seq = history->head().seq;
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState recorded, history->SchemaAt(g.head_seq, source.name));
  STRATA_ASSIGN_OR_RETURN(g.events, Diff(recorded, desired));
  return g;
}

Result<Generated> RecordFiles(const Context& ctx, const SchemaSource& source,
                              const GenerateRequest& request) {
  const backend::Backend& backend = BackendOf(source);
  // A bad file stops everything before the log is opened (or created).
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState desired, backend.LoadDesired(source));
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
  Generated g;
  int attempts = 0;
  auto make = [&](const record::HeadState& at) -> Result<std::optional<record::Draft>> {
    g.rebased = ++attempts > 1;
    g.head_seq = at.head.seq;
    // The files are read after the head, each time: a commit in this head was made from files
    // that were in place before it was appended, so they are read here too. Files read before
    // the head could predate a change another process recorded from them since, and the diff
    // would record undoing it (dropping a table just added).
    STRATA_ASSIGN_OR_RETURN(pb::SchemaState files, backend.LoadDesired(source));
    STRATA_ASSIGN_OR_RETURN(auto changes, Changes(source, RecordedOf(*at.state, source.name),
                                                  files, request.filter));
    g.events = std::move(changes.first);
    desired = std::move(changes.second);
    if (g.events.empty()) return std::optional<record::Draft>();
    std::string message = request.message.empty() ? DefaultMessage(g.events) : request.message;
    auto events = g.events;
    return std::optional<record::Draft>(
        request.origin == pb::ORIGIN_PUSH
            ? record::Draft::Push(source.name, source.engine, std::move(events), message)
            : record::Draft::Generate(source.name, source.engine, std::move(events), message));
  };
  STRATA_ASSIGN_OR_RETURN(g.stored, recorder->Record(make));
  if (!g.stored) return g;
  backend::ArtifactRequest a;
  a.seq = g.stored->commit.seq();
  a.name = !request.name.empty()      ? request.name
           : !request.message.empty() ? request.message
                                      : DefaultName(g.events);
  a.message = g.stored->commit.message();
  a.time = FormatTime(g.stored->commit.time_unix_micros());
  a.events = g.events;
  a.desired = desired;
  auto written = backend.WriteArtifacts(source, a);
  if (!written.ok()) {
    return written.status().WithContext(fmt::format(
        "commit {} is recorded, but writing its artifacts failed (they can be written again)",
        g.stored->commit.seq()));
  }
  g.artifacts = std::move(written).value();
  return g;
}

}  // namespace strata::cli
