#include "cli/report_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>
#include <unordered_map>

#include "adapters/backend/registry.h"
#include "cli/describe.h"
#include "cli/objects_view.h"
#include "engine/refs/refs.h"
#include "engine/state/apply.h"
#include "engine/state/fragments.h"
#include "engine/state/objects.h"
#include "engine/store/hash.h"

namespace strata::cli {

namespace {

using json = nlohmann::json;

// Above this many cells (lines before x lines after, once the common start and end are set
// aside), an edit replaces the whole middle instead of finding the common lines in it.
constexpr size_t kMaxLcsCells = 1 << 20;

// Small strings repeated on many rows (actors, schemas, origins, targets) stored once; rows
// hold their position.
class Dictionary {
 public:
  size_t Id(const std::string& s) {
    auto [it, added] = ids_.emplace(s, values_.size());
    if (added) values_.push_back(s);
    return it->second;
  }
  json Values() const { return values_; }

 private:
  std::unordered_map<std::string, size_t> ids_;
  std::vector<std::string> values_;
};

// What became of an object, as the page shows it.
enum class Fate { kExists = 0, kDropped = 1, kRenamed = 2 };

struct ObjectInfo {
  std::string schema;
  std::string name;
  std::vector<uint64_t> seqs;  // commits that touched it, oldest first
  Fate fate = Fate::kExists;   // after its last create, drop or rename
};

// Everything one pass over the log gathers; the steps below shape it into the page.
struct Collected {
  Dictionary actors, schemas, origins, targets;
  // Timeline rows, oldest first.
  std::vector<uint64_t> seq, events;
  std::vector<int64_t> time;
  std::vector<size_t> actor, origin, schema;
  std::vector<std::string> hash, message;
  std::vector<ObjectInfo> objects;
  std::unordered_map<std::string, size_t> object_ids;  // schema '\0' name -> objects[i]
  std::vector<RecordPosition> positions;               // by seq (0 unused)
  uint64_t timeline_first = 0;                         // the oldest seq the timeline keeps
  std::map<uint64_t, json> extra;  // commits of embedded versions older than timeline_first
  json deployments = json::object();
  // As the index keeps them, but as of until_seq: each target's newest deployment, and tags.
  std::map<std::string, json> cursors;
  std::map<std::string, uint64_t> tags;
};

std::string ActorText(const pb::Actor& a) {
  return a.email().empty() ? a.name() : fmt::format("{} <{}>", a.name(), a.email());
}

const char* OutcomeText(pb::DeploymentOutcome o) {
  return o == pb::DEPLOYMENT_SUCCEEDED ? "succeeded"
         : o == pb::DEPLOYMENT_PARTIAL ? "partial"
         : o == pb::DEPLOYMENT_FAILED  ? "failed"
                                       : "unknown";
}

void AddDeployment(Collected* c, const pb::Commit& commit, size_t actor) {
  const pb::Deployment& d = commit.deployment();
  json& j = c->deployments;
  j["seq"].push_back(commit.seq());
  j["time"].push_back(commit.time_unix_micros() / 1000000);
  j["actor"].push_back(actor);
  j["target"].push_back(c->targets.Id(d.target()));
  j["from"].push_back(d.from_seq());
  j["to"].push_back(d.to_seq());
  j["outcome"].push_back(OutcomeText(d.outcome()));
  j["ms"].push_back(d.duration_ms());
  j["detail"].push_back(d.detail());
  if (!d.target().empty()) {
    c->cursors[d.target()] = {{"target", d.target()},
                              {"seq", d.to_seq()},
                              {"deployment_seq", commit.seq()},
                              {"outcome", OutcomeText(d.outcome())}};
  }
}

void NoteTag(Collected* c, const pb::Tag& tag) {
  if (tag.deleted()) {
    c->tags.erase(tag.name());
  } else {
    c->tags[tag.name()] = tag.target_seq();
  }
}

void NoteObjects(Collected* c, const pb::Commit& commit) {
  for (const pb::Event& e : commit.events()) {
    const std::vector<std::string> touched = TouchedObjects(e, pb::SchemaState());
    // Only a create, drop or replace can create or drop an object; describing every event
    // to learn its sign would cost more than the rest of the pass.
    const std::string kind = ChangeKind(e);
    const bool may_create_or_drop = kind.rfind("create_", 0) == 0 || kind.rfind("drop_", 0) == 0 ||
                                    kind.rfind("replace_", 0) == 0;
    const char sign = may_create_or_drop ? ObjectSign(e) : '~';
    const auto [renamed_from, renamed_to] = RenameOf(e);
    for (size_t i = 0; i < touched.size(); ++i) {
      const std::string key = commit.schema() + '\0' + touched[i];
      auto [it, added] = c->object_ids.emplace(key, c->objects.size());
      if (added) c->objects.push_back({commit.schema(), touched[i], {}, Fate::kExists});
      ObjectInfo& o = c->objects[it->second];
      if (o.seqs.empty() || o.seqs.back() != commit.seq()) o.seqs.push_back(commit.seq());
      // The sign is about the event's first object (describe.h).
      if (i == 0 && sign == '-') o.fate = Fate::kDropped;
      if (i == 0 && (sign == '+' || sign == '!')) o.fate = Fate::kExists;
      if (!renamed_to.empty() && o.name == renamed_from) o.fate = Fate::kRenamed;
      if (!renamed_to.empty() && o.name == renamed_to) o.fate = Fate::kExists;
    }
  }
}

// Step 1: one pass over the log up to until_seq.
Status ScanLog(History& history, const ReportOptions& options, Collected* c) {
  CommitScanOptions scan;
  scan.until_seq = options.until_seq;
  scan.decode_ahead = true;
  c->positions.resize(options.until_seq + 1);
  return history.reader().Scan(scan, [&](const ScannedCommit& stored) -> Status {
    const pb::Commit& commit = stored.commit;
    if (commit.seq() >= c->positions.size()) return Status::Ok();
    c->positions[commit.seq()] = stored.position;
    const size_t actor = c->actors.Id(ActorText(commit.actor()));
    NoteObjects(c, commit);
    if (commit.has_deployment()) AddDeployment(c, commit, actor);
    if (commit.has_tag()) NoteTag(c, commit.tag());
    if (options.scan_progress && commit.seq() % 1000 == 0) {
      options.scan_progress(commit.seq(), options.until_seq);
    }
    if (commit.seq() < options.from_seq) return Status::Ok();
    c->seq.push_back(commit.seq());
    c->time.push_back(commit.time_unix_micros() / 1000000);
    c->actor.push_back(actor);
    c->origin.push_back(c->origins.Id(OriginName(commit.origin())));
    c->schema.push_back(c->schemas.Id(commit.schema()));
    c->events.push_back(static_cast<uint64_t>(commit.events_size()));
    c->hash.push_back(HashHex(stored.hash).substr(0, 12));
    c->message.push_back(commit.message());
    return Status::Ok();
  });
}

// Step 2: the timeline, newest `max_commits` rows of the range, as columns.
json TimelineColumns(Collected& c, const ReportOptions& options) {
  const size_t n = c.seq.size();
  const size_t keep = options.max_commits == 0 ? n : std::min<size_t>(n, options.max_commits);
  const auto first = static_cast<std::ptrdiff_t>(n - keep);
  c.timeline_first = keep == 0 ? options.until_seq + 1 : c.seq[n - keep];
  auto tail = [&](const auto& v) {
    return json(
        std::vector<typename std::decay_t<decltype(v)>::value_type>(v.begin() + first, v.end()));
  };
  return {{"seq", tail(c.seq)},       {"time", tail(c.time)},      {"actor", tail(c.actor)},
          {"origin", tail(c.origin)}, {"schema", tail(c.schema)},  {"events", tail(c.events)},
          {"hash", tail(c.hash)},     {"message", tail(c.message)}};
}

// Step 3: which objects get their full history. NotFound for a named object never recorded.
Result<std::vector<size_t>> ChooseDetailed(Collected& c, const ReportOptions& options) {
  std::vector<size_t> chosen;
  if (!options.objects.empty()) {
    for (const std::string& text : options.objects) {
      STRATA_ASSIGN_OR_RETURN(ObjectRef ref, ParseObjectRef(text));
      bool found = false;
      for (size_t i = 0; i < c.objects.size(); ++i) {
        if (c.objects[i].name != ref.name) continue;
        if (ref.schema && *ref.schema != c.objects[i].schema) continue;
        found = true;
        if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
      }
      if (!found) {
        return Status::NotFound(
            fmt::format("no object {} in the log up to seq {}", text, options.until_seq));
      }
    }
    return chosen;
  }
  for (size_t i = 0; i < c.objects.size(); ++i) chosen.push_back(i);
  // The most recently changed first; ties by name, so the page does not change between runs.
  std::sort(chosen.begin(), chosen.end(), [&](size_t a, size_t b) {
    const ObjectInfo &x = c.objects[a], &y = c.objects[b];
    if (x.seqs.back() != y.seqs.back()) return x.seqs.back() > y.seqs.back();
    return x.name < y.name;
  });
  if (options.max_objects > 0 && chosen.size() > options.max_objects) {
    chosen.resize(options.max_objects);
  }
  return chosen;
}

// The text of object `name` as `show` prints it; empty when it does not exist in `schema`.
Result<std::string> ObjectTextIn(const pb::SchemaState& schema, const std::string& name) {
  const std::vector<std::string> names = ObjectNames(schema);
  if (!std::binary_search(names.begin(), names.end(), name)) return std::string();
  const pb::SchemaState fragment = SelectObjects(schema, {name});
  const backend::Backend* b = backend::ForEngine(fragment.engine());
  if (b == nullptr) return ProtoJson(fragment).dump(2);
  return b->ObjectText(fragment, name);
}

bool Touches(const pb::Event& e, const std::set<std::string>& names) {
  for (const std::string& t : TouchedObjects(e, pb::SchemaState())) {
    if (names.count(t)) return true;
  }
  return false;
}

// Step 4: one object's life: after each commit that touched it (or an object it lives in),
// its text as an edit of the previous one, and the changes that commit made to it.
Result<json> ObjectHistory(History& history, Collected& c, uint64_t until_seq, size_t id) {
  const ObjectInfo& o = c.objects[id];
  // A renamed object's history goes back through its former names (as blame follows it).
  STRATA_ASSIGN_OR_RETURN(auto former, history.index().FormerNames(o.name, until_seq));
  auto name_at = [&](uint64_t seq) {
    std::string name = o.name;
    for (const auto& [old_name, renamed_at] : former) {
      if (seq < renamed_at) name = old_name;
    }
    return name;
  };
  std::set<std::string> self = {o.name};
  for (const auto& [old_name, renamed_at] : former) self.insert(old_name);
  std::set<std::string> wanted;
  for (const std::string& name : self) {
    for (std::string& p : ObjectAndParents(name)) wanted.insert(std::move(p));
  }
  std::set<uint64_t> seqs;
  for (const std::string& name : wanted) {
    auto it = c.object_ids.find(o.schema + '\0' + name);
    if (it != c.object_ids.end()) {
      seqs.insert(c.objects[it->second].seqs.begin(), c.objects[it->second].seqs.end());
    }
  }
  pb::State state;
  std::vector<std::string> lines;
  json versions = json::array();
  for (uint64_t seq : seqs) {
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, history.reader().ReadAt(c.positions[seq]));
    const pb::Commit& commit = stored.commit;
    pb::SchemaState& schema = (*state.mutable_schemas())[commit.schema()];
    json changes = json::array();
    bool replayed = true;
    for (const pb::Event& e : commit.events()) {
      if (!Touches(e, wanted)) continue;
      // Replaying only this object's events can miss something an event needs (a table a
      // view reads); the index's state of the object after this commit is then the truth.
      if (replayed && !Apply(e, &schema).ok()) replayed = false;
      if (!Touches(e, self)) continue;
      const EventText t = Describe(e);
      changes.push_back({std::string(1, ObjectSign(e)), t.text});
    }
    if (!replayed) {
      STRATA_ASSIGN_OR_RETURN(pb::State at, history.index().ObjectStateAt(seq, name_at(seq)));
      schema = at.schemas().count(commit.schema()) ? at.schemas().at(commit.schema())
                                                   : pb::SchemaState();
    }
    STRATA_ASSIGN_OR_RETURN(std::string text, ObjectTextIn(schema, name_at(seq)));
    std::vector<std::string> now = SplitLines(text);
    // A commit that changed only an object it lives in, and not its text, is no version of it.
    if (changes.empty() && now == lines && !versions.empty()) continue;
    if (seq < c.timeline_first && !c.extra.count(seq)) {
      // Outside the timeline: the page still needs who made this version, when and why.
      c.extra[seq] = {{"time", commit.time_unix_micros() / 1000000},
                      {"actor", c.actors.Id(ActorText(commit.actor()))},
                      {"message", commit.message()}};
    }
    versions.push_back({{"seq", seq},
                        {"gone", text.empty()},
                        {"edit", LineEdit(lines, now)},
                        {"changes", std::move(changes)}});
    lines = std::move(now);
  }
  return json{{"object", id}, {"versions", std::move(versions)}};
}

// Step 5: every object's summary, as columns; `detail` is the position in `details` or -1.
json ObjectColumns(Collected& c, const std::vector<size_t>& detailed) {
  std::vector<int64_t> detail(c.objects.size(), -1);
  for (size_t i = 0; i < detailed.size(); ++i) detail[detailed[i]] = static_cast<int64_t>(i);
  json j = {{"name", json::array()},    {"schema", json::array()}, {"fate", json::array()},
            {"changes", json::array()}, {"seqs", json::array()},   {"detail", detail}};
  for (const ObjectInfo& o : c.objects) {
    j["name"].push_back(o.name);
    j["schema"].push_back(c.schemas.Id(o.schema));
    j["fate"].push_back(static_cast<int>(o.fate));
    j["changes"].push_back(o.seqs.size());
    // Delta-encoded: the first seq, then the gaps (small numbers keep the page small).
    json seqs = json::array();
    uint64_t prev = 0;
    for (uint64_t s : o.seqs) {
      seqs.push_back(s - prev);
      prev = s;
    }
    j["seqs"].push_back(std::move(seqs));
  }
  return j;
}

// Step 6: each target's newest deployment and the tags, as of until_seq.
void AddCursorsAndTags(Collected& c, json* page) {
  (*page)["cursors"] = json::array();
  for (auto& [target, cursor] : c.cursors) (*page)["cursors"].push_back(std::move(cursor));
  (*page)["tags"] = json::array();
  for (const auto& [name, seq] : c.tags) (*page)["tags"].push_back({{"name", name}, {"seq", seq}});
}

}  // namespace

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

json LineEdit(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  // The common start and end first: most changes touch a few lines of a long text.
  size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
    ++suffix;
  }
  const size_t m = before.size() - prefix - suffix, n = after.size() - prefix - suffix;
  auto x = [&](size_t i) -> const std::string& { return before[prefix + i]; };
  auto y = [&](size_t j) -> const std::string& { return after[prefix + j]; };
  json hunks = json::array();
  if (m == 0 && n == 0) return hunks;
  if (m == 0 || n == 0 || m * n > kMaxLcsCells) {
    json lines = json::array();
    for (size_t j = 0; j < n; ++j) lines.push_back(y(j));
    hunks.push_back(json::array({prefix, m, std::move(lines)}));
    return hunks;
  }
  // Longest common subsequence of the middles; each run of non-matching lines is a hunk.
  std::vector<uint32_t> lcs((m + 1) * (n + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (n + 1) + j]; };
  for (size_t i = m; i-- > 0;) {
    for (size_t j = n; j-- > 0;) {
      at(i, j) = x(i) == y(j) ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  size_t i = 0, j = 0, start = 0, deleted = 0;
  json added = json::array();
  auto flush = [&] {
    if (deleted > 0 || !added.empty()) {
      hunks.push_back(json::array({prefix + start, deleted, std::move(added)}));
    }
    deleted = 0;
    added = json::array();
  };
  while (i < m || j < n) {
    if (i < m && j < n && x(i) == y(j)) {
      flush();
      ++i;
      ++j;
      start = i;
    } else if (j < n && (i == m || at(i, j + 1) >= at(i + 1, j))) {
      added.push_back(y(j++));
    } else {
      ++deleted;
      ++i;
    }
  }
  flush();
  return hunks;
}

Result<ReportData> CollectReport(History& history, const ReportOptions& options) {
  Collected c;
  STRATA_RETURN_IF_ERROR(ScanLog(history, options, &c));
  if (options.scan_progress) options.scan_progress(options.until_seq, options.until_seq);
  ReportData out;
  json& page = out.page;
  page = {{"version", 1},
          {"generated", FormatTime(options.generated_micros)},
          {"head", history.head().seq},
          {"from", options.from_seq},
          {"until", options.until_seq},
          {"range_commits", c.seq.size()},
          {"max_commits", options.max_commits},
          {"max_objects", options.max_objects}};
  page["commits"] = TimelineColumns(c, options);
  out.commits_in_range = c.seq.size();
  out.commits = page["commits"]["seq"].size();

  STRATA_ASSIGN_OR_RETURN(std::vector<size_t> detailed, ChooseDetailed(c, options));
  page["details"] = json::array();
  for (size_t id : detailed) {
    STRATA_ASSIGN_OR_RETURN(json h, ObjectHistory(history, c, options.until_seq, id));
    page["details"].push_back(std::move(h));
    if (options.detail_progress && page["details"].size() % 10 == 0) {
      options.detail_progress(page["details"].size(), detailed.size());
    }
  }
  if (options.detail_progress && !detailed.empty()) {
    options.detail_progress(detailed.size(), detailed.size());
  }
  page["extra_commits"] = {{"seq", json::array()},
                           {"time", json::array()},
                           {"actor", json::array()},
                           {"message", json::array()}};
  for (auto& [seq, row] : c.extra) {
    json& e = page["extra_commits"];
    e["seq"].push_back(seq);
    e["time"].push_back(row["time"]);
    e["actor"].push_back(row["actor"]);
    e["message"].push_back(row["message"]);
  }
  page["objects"] = ObjectColumns(c, detailed);
  out.objects = c.objects.size();
  out.detailed_objects = detailed.size();
  out.deployments = c.deployments.empty() ? 0 : c.deployments["seq"].size();
  page["deployments"] = std::move(c.deployments);
  AddCursorsAndTags(c, &page);
  page["actors"] = c.actors.Values();
  page["schemas"] = c.schemas.Values();
  page["origins"] = c.origins.Values();
  page["targets"] = c.targets.Values();
  return out;
}

}  // namespace strata::cli
