#include "cli/describe.h"

#include <fmt/format.h>

#include <map>
#include <ostream>

#include "adapters/backend/registry.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"

namespace strata::cli {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string ChangeKind(const pb::Event& e) { return backend::ChangeKind(e); }

std::string Capitalized(std::string word) {
  if (!word.empty()) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
  return word;
}

EventText Describe(const pb::Event& e) {
  EventText t;
  auto objects = TouchedObjects(e, pb::SchemaState());
  t.object = objects.empty() ? "" : objects.front();
  const backend::Backend* b = backend::ForEngine(EngineOf(e));
  if (b == nullptr) {
    t.text = "unknown change";
    return t;
  }
  backend::ChangeText c = b->DescribeChange(e);
  t.sign = c.sign;
  t.text = std::move(c.text);
  return t;
}

char ObjectSign(const pb::Event& e, const EventText& described) {
  switch (EffectOf(e)) {
    case ObjectEffect::kCreates: return '+';
    case ObjectEffect::kDrops: return '-';
    case ObjectEffect::kChanges: break;
  }
  return described.sign == '!' ? '!' : '~';
}

char ObjectSign(const pb::Event& e) {
  // Only a change needs the description (for a replacement's '!').
  return ObjectSign(e, EffectOf(e) == ObjectEffect::kChanges ? Describe(e) : EventText{});
}

nlohmann::ordered_json EventJson(const pb::Event& e) {
  EventText t = Describe(e);
  return {{"op", ChangeKind(e)},
          {"object", t.object},
          {"description", t.text},
          {"change", backend::ProtoJson(e)}};
}

std::string OriginName(pb::Origin origin) {
  std::string name = pb::Origin_Name(origin);
  return Lower(name.rfind("ORIGIN_", 0) == 0 ? name.substr(7) : name);
}

DiffSummary PrintChanges(const Context& ctx, const std::string& schema,
                         const std::vector<pb::Event>& events) {
  std::map<std::string, std::vector<std::pair<EventText, char>>> by_object;
  std::vector<std::string> order;
  for (const auto& e : events) {
    EventText t = Describe(e);
    const char sign = ObjectSign(e, t);
    auto& texts = by_object[t.object];
    if (texts.empty()) order.push_back(t.object);
    texts.emplace_back(std::move(t), sign);
  }
  DiffSummary sum;
  for (const auto& object : order) {
    const auto& texts = by_object[object];
    // One sign for the object: created, dropped or replaced by a single event, else changed.
    const char sign = texts.size() == 1 ? texts[0].second : '~';
    Color c = sign == '+' ? Color::kGreen : sign == '-' || sign == '!' ? Color::kRed : Color::kYellow;
    if (sign == '+') ++sum.add;
    else if (sign == '-') ++sum.destroy;
    else if (sign == '!') { ++sum.add; ++sum.destroy; }
    else ++sum.change;
    *ctx.out << ctx.Paint(c, fmt::format("{} {}:{}", sign, schema, object)) << "\n";
    for (const auto& entry : texts) {
      *ctx.out << "    " << entry.first.sign << " " << entry.first.text << "\n";
    }
  }
  return sum;
}

void PrintSummaryLine(const Context& ctx, const DiffSummary& s, const std::string& what) {
  *ctx.out << fmt::format("{}: {} to add, {} to change, {} to destroy.\n", what, s.add, s.change,
                          s.destroy);
}

}  // namespace strata::cli
