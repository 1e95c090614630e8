// One-line human descriptions of events, for log, diff and generate output.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "cli/context.h"
#include "proto/commit.pb.h"

namespace strata::cli {

struct EventText {
  char sign = '~';        // '+' creates, '-' drops, '~' changes, '!' replaces
  std::string object;     // the object it is about
  std::string text;       // "add global index by_status"
};

EventText Describe(const pb::Event& event);
// What the event does to its object, as a sign before the object's name: '+' only when it
// creates the object, '-' only when it drops it, '!' when it replaces it, '~' otherwise (a new
// index or column changes its table, though the event's own sign is '+').
char ObjectSign(const pb::Event& event);
// The same for an event already described (Describe(event)), without describing it again.
char ObjectSign(const pb::Event& event, const EventText& described);
// The event as JSON: {"op": "...", "object": "...", "description": "...", "change": {...}}.
nlohmann::ordered_json EventJson(const pb::Event& event);
std::string OriginName(pb::Origin origin);
// The one-word name of the oneof member that is set ("add_global_index").
std::string ChangeKind(const pb::Event& event);

// "table" -> "Table", for a word that starts a sentence.
std::string Capitalized(std::string word);

struct DiffSummary {
  int add = 0, change = 0, destroy = 0;
};
// Prints events grouped by object ("~ dynamodb:orders" then one line per change); returns
// how many objects are added, changed and destroyed. Used by diff, generate and status.
DiffSummary PrintChanges(const Context& ctx, const std::string& schema,
                         const std::vector<pb::Event>& events);
// "WHAT: X to add, Y to change, Z to destroy."
void PrintSummaryLine(const Context& ctx, const DiffSummary& s, const std::string& what);

}  // namespace strata::cli
