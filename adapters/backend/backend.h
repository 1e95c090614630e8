// Backend: what every kind of database strata manages provides, so that the commands are
// written once. A backend reads its schema files into the engine's state, opens targets
// (live databases) that are introspected, planned against and changed, and presents its
// objects and events to people. The cli picks a backend by the engine of a schema source or a
// target and never knows which one it holds; a new backend implements this interface and
// registers in registry.cc.
//
// Backends know neither the log nor the terminal: history comes in as engine types, progress
// and notes go out through callbacks. Backend objects are stateless and thread-safe; a
// Target is used from one thread at a time.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::backend {

// A schema source of strata.yaml: where one schema's files are and what the log calls it.
struct SourceSpec {
  std::string name;       // the key under `schemas:`, also the log's schema name
  pb::Engine engine = pb::ENGINE_UNSPECIFIED;
  std::string path;       // absolute directory of the schema files
  std::string artifacts;  // absolute directory of generated artifacts
  // The directory as messages show it (relative to the project: "schema/dynamodb"); empty
  // for `path` itself.
  std::string shown_path = {};
};

// A target with its settings resolved (${VAR} expanded, flags applied). `name` is empty for
// "the environment" (no target in strata.yaml: the AWS or libpq defaults).
struct TargetSpec {
  std::string name;
  pb::Engine engine = pb::ENGINE_UNSPECIFIED;
  std::map<std::string, std::string> settings;
  std::string where;  // "strata.yaml:12" for messages; empty for the environment
};

// A setting a target of this backend may have in strata.yaml, and the flag that overrides it.
struct SettingInfo {
  std::string key;   // "region"
  std::string flag;  // "region" (--region); empty when there is no flag
  std::string help;
};

// Process-level services the cli hands down: nothing below cli reads the environment, the
// clocks or the terminal itself.
struct Services {
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::function<int64_t()> steady_ms;           // monotonic clock
  std::function<int64_t()> unix_ms;             // wall clock (ms since 1970), for messages
  std::function<void(int64_t ms)> sleep_ms;
  std::function<void(const std::string&)> note;  // one line of progress or notice for people
  int64_t poll_interval_ms = 1000;               // how often waits ask the service
  int concurrency = 16;                          // requests in flight when reading many objects
};

// ---- the live side ---------------------------------------------------------------------

// One live object as people see it in lists and prompts.
struct LiveObject {
  std::string name;
  std::string status;          // the service's word ("ACTIVE", "UPDATING"); empty when none
  bool leaving = false;        // being deleted: import and export skip it, drop refuses it
  std::string size_text;       // "12 items", for confirmations; empty when unknown
  std::vector<std::string> marks;  // "deletion protection on", ...
  // What the live object has that strata does not manage, one sentence each: a file made
  // from it would not recreate it. import, export, plan and drift print these.
  std::vector<std::string> warnings;
};

// What a target has now. Backends subclass it to keep their own detail for planning.
class Live {
 public:
  virtual ~Live() = default;
  // The live objects as the engine's state. Facts the target cannot report (say, tags on a
  // server without tagging) are taken from `base` when it is given, so that comparing with
  // `base` shows only what the target really says is different.
  virtual pb::SchemaState Schema(const pb::SchemaState* base = nullptr) const = 0;
  // Every object read, sorted by name.
  virtual const std::vector<LiveObject>& Objects() const = 0;
};

struct ReadRequest {
  std::optional<std::vector<std::string>> only;  // just these objects
  bool missing_ok = false;  // absent ones of `only` are left out instead of NotFound
};

// ---- plans -----------------------------------------------------------------------------

enum class Action { kCreate, kUpdate, kReplace, kDelete };
// "create", "update", "replace", "delete".
std::string_view ActionName(Action action);

// One call a plan will make, for people and JSON.
struct OperationView {
  std::string api;             // "UpdateTable"
  std::string summary;         // "add global index by_status"
  bool destructive = false;    // deletes data
  bool waits = false;          // waits for the object to be ready afterwards
  std::string waits_for;       // what it waits for, in the service's words ("ACTIVE")
  // Why this step is not taken in the run that takes the steps before it (the service makes
  // you wait between them); a later apply takes it. Empty for steps taken at once.
  std::string held;
};

struct ObjectPlan {
  std::string object;
  Action action = Action::kUpdate;
  std::vector<pb::Event> changes;          // the typed changes, for display
  std::vector<OperationView> operations;   // in order
  std::string replace_reason;              // why a replace is needed
  // Nothing runs for a blocked object; `blocked_reason` says why and what to do (the flag
  // that consents, or the step to take first).
  bool blocked = false;
  std::string blocked_reason;
  std::vector<std::string> notes;
};

// Detail only the backend that made a plan understands (API inputs and the like).
class PlanDetail {
 public:
  virtual ~PlanDetail() = default;
};

struct Plan {
  std::vector<ObjectPlan> objects;     // by object name
  std::vector<std::string> unmanaged;  // live objects strata does not manage (never touched)
  std::shared_ptr<const PlanDetail> detail;
  bool empty() const { return objects.empty(); }
  size_t OperationCount() const;
  bool AnyBlocked() const;
};

struct PlanRequest {
  std::set<std::string> managed;        // only these may be created, changed or deleted
  std::set<std::string> allow_replace;  // consent to replacing these (their data is lost)
  // Consent to turning protection against deletion off on these, to delete them.
  std::set<std::string> lift_protection;
  // Consent to deleting replicas in other regions (DynamoDB global tables): "TABLE" for all of
  // a table's replicas, "TABLE:REGION" for one. Also consent to deleting TABLE itself.
  std::set<std::string> allow_replica_removal;
  // What the target was last deployed with (null: never). Where an object is shared with other
  // writers (Glue's open parameter maps), it tells what strata set before, and may remove,
  // from what someone else added, which strata leaves alone.
  const pb::SchemaState* deployed = nullptr;
};

// ---- execution -------------------------------------------------------------------------

struct Progress {
  size_t index = 0, total = 0;  // 1-based step among those that run; 0: before the first step
  std::string object, summary;  // for "waiting": what it waits for
  std::string phase;            // "start" | "waiting" | "done"
};

struct ExecuteRequest {
  bool wait = true;  // false (--no-wait): issue what can be issued, report the rest pending
  std::function<void(const Progress&)> progress;
};

// What became of one object of the plan.
struct ObjectOutcome {
  std::string object;
  std::string result;  // "done" | "failed" | "pending" | "skipped" (blocked) | "not run"
  std::string detail;  // failed: the error; skipped: why; pending: what it waits for
  size_t steps_done = 0, steps = 0;
};

struct ExecuteReport {
  // Ok, or the failures (object and step named). Where a backend's objects are independent, a
  // failure on one does not stop the others; `objects` says what became of each.
  Status status;
  size_t operations_done = 0;
  std::vector<std::string> done;     // "OBJECT: summary" of each completed step
  std::vector<std::string> pending;  // objects left with steps not yet issued (no-wait, held)
  // "OBJECT: ..." facts the deployment records: protection lifted with consent, a step held
  // for a later run and when it can run.
  std::vector<std::string> notes;
  std::vector<ObjectOutcome> objects;  // in plan order; empty where the backend has none
};

struct DropRequest {
  bool lift_protection = false;  // turn protection against deletion off first
  bool wait = true;              // wait until each object is gone
  std::function<void(const Progress&)> progress;
};

// ---- files -----------------------------------------------------------------------------

struct WriteFilesRequest {
  std::string dir;      // where new files go (absolute)
  std::string format;   // the backend's file format name for new files; empty: its default
  bool force = false;   // replace files that define an object differently
};

struct WrittenFile {
  std::string object;
  std::string path;    // absolute
  std::string action;  // "written" | "overwritten" | "unchanged" | "differs"
  std::string reason;  // for "differs"
};

struct ArtifactRequest {
  uint64_t seq = 0;
  std::string name;     // short name ("add_orders_by_status")
  std::string message;  // the commit message
  std::string time;     // RFC 3339, as the cli formats it
  std::vector<pb::Event> events;
  pb::SchemaState desired;  // the schema after the commit
};

// How a schema source stands against the log, in the backend's own terms.
struct SourceStatus {
  std::vector<pb::Event> changes;  // declarative files: what generate would record
  std::vector<std::string> items;  // otherwise: the pending things by name (migrations)
  std::string noun;                // "change" | "migration"
  std::string next_step;           // "run strata generate"
  size_t pending() const { return changes.empty() ? items.size() : changes.size(); }
};

// ---- listing ---------------------------------------------------------------------------

enum class Tone { kPlain, kStrong, kDim, kGood, kWarn };
struct Cell {
  std::string text;
  Tone tone = Tone::kPlain;
  bool right = false;  // right-aligned (numbers)
};
struct ListView {
  std::string key = "objects";   // the JSON array's key ("tables")
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  std::string title;              // "target dev: 3 tables, 2 managed by strata"
  std::vector<std::vector<Cell>> rows;  // the first row is the header
  std::string footer;
  std::string empty_text;         // when there is nothing to list
};

// A message as JSON with proto field names and map entries in key order, so the same message
// always prints the same text (protobuf's own printer follows the maps' hash order, which
// differs from run to run).
nlohmann::ordered_json ProtoJson(const google::protobuf::Message& message);

struct ChangeText {
  char sign = '~';
  std::string text;
};
// The name of the change an event holds ("add_global_index"), "unknown" for an empty one.
std::string ChangeKind(const pb::Event& event);
// The sign of a change from its kind's name: "create_"/"add_" '+', "drop_"/"remove_" '-',
// "replace_table" '!', else '~'.
char SignOf(std::string_view kind);
// SignOf the event's change: what DescribeChange's sign is before a backend refines it, without
// building the generic text (for backends that write their own).
char ChangeSign(const pb::Event& event);

// ---- the interfaces --------------------------------------------------------------------

class Target {
 public:
  virtual ~Target() = default;
  // What deployment records and messages call the target: its name, else where it is.
  virtual std::string Label() const = 0;
  // For messages: "target dev (http://127.0.0.1:8000, us-east-1)".
  virtual std::string Text() const = 0;
  // For JSON: {"name": ..., and where it is}.
  virtual nlohmann::ordered_json Json() const = 0;
  // Who the caller is to the service (e.g. an ARN), for the commit's actor; empty when it
  // cannot be told. May make a request; never fails.
  virtual std::string Principal() { return ""; }

  // The objects the target has. NotFound naming the first of `only` that is not there.
  virtual Result<std::unique_ptr<Live>> Read(const ReadRequest& request) = 0;
  // The names of the objects the target has, sorted, read as cheaply as the service allows, so
  // that a filter (-t) chooses what Read reads in full. The default reads everything and keeps
  // the names; a backend whose service lists names apart (DynamoDB's ListTables) says so.
  virtual Result<std::vector<std::string>> Names();
  // The steps that bring `live` to `desired`, with this backend's rules. Unimplemented (with
  // the command to use instead) when the backend changes targets another way.
  virtual Result<Plan> MakePlan(const Live& live, const pb::SchemaState& desired,
                                const PlanRequest& request) = 0;
  virtual ExecuteReport Execute(const Plan& plan, const ExecuteRequest& request) = 0;

  // Why `object` may not be dropped as asked ("deletion protection is on; pass
  // --lift-deletion-protection"); empty when it may.
  virtual std::string DropRefusal(const LiveObject& object, const DropRequest& request) const {
    return "";
  }
  virtual ExecuteReport Drop(const std::vector<std::string>& names, const DropRequest& request) = 0;
  // Which of `names` are gone or on their way, asked of the service itself (so that the log
  // never records a drop that did not happen).
  virtual Result<std::vector<std::string>> Gone(const std::vector<std::string>& names) = 0;

  // The rows `strata list` prints and its JSON items.
  virtual ListView List(const Live& live, const std::set<std::string>& managed) const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual pb::Engine engine() const = 0;
  virtual std::string_view name() const = 0;               // "dynamodb"
  virtual std::string_view display_name() const { return name(); }  // "DynamoDB"
  virtual std::string_view object_noun() const = 0;        // "table"
  virtual std::string_view data_noun() const { return "data"; }  // "items": what a drop loses
  virtual std::string default_source_dir() const = 0;      // "schema/dynamodb"
  // The strata.yaml lines `init` writes for a source of this backend.
  virtual std::string InitConfig(const std::string& dir, const std::string& artifacts) const = 0;
  virtual std::vector<SettingInfo> target_settings() const = 0;
  // Whether schema files hold the desired state (generate, push, plan diff files); false for
  // backends whose files are changes (PostgreSQL migrations).
  virtual bool declarative() const = 0;
  // Whether generate writes artifacts (WriteArtifacts) into a directory of the source's own;
  // init asks for that directory only then.
  virtual bool writes_artifacts() const { return declarative(); }

  // ---- files
  // The desired state the source's files describe. NotFound when the directory is missing;
  // the files' own errors (FILE:LINE: what and how to fix), every problem in one message.
  virtual Result<pb::SchemaState> LoadDesired(const SourceSpec& source) const = 0;
  // The source against the log head (`recorded`) and the log (`history_objects`: migration
  // names and the like the log holds for this source). Declarative backends diff their files.
  virtual Result<SourceStatus> Status(const SourceSpec& source, const pb::SchemaState& recorded,
                                      const std::set<std::string>& recorded_names) const;
  // Which file defines each object (absolute paths), for messages that say what to edit.
  virtual Result<std::map<std::string, std::string>> FilesDefining(
      const SourceSpec& source) const {
    return std::map<std::string, std::string>{};
  }
  // Files written beside a generate commit (numbered artifact, snapshot); their paths.
  virtual Result<std::vector<std::string>> WriteArtifacts(const SourceSpec& source,
                                                          const ArtifactRequest& request) const {
    return std::vector<std::string>{};
  }
  // Writes `objects` as schema files (export), never replacing a file that defines an object
  // differently unless forced.
  virtual Result<std::vector<WrittenFile>> WriteFiles(const SourceSpec& source,
                                                      const pb::SchemaState& objects,
                                                      const WriteFilesRequest& request) const;
  // The formats WriteFiles can write new files in ("yaml", "json"); the first is the default.
  virtual std::vector<std::string> file_formats() const { return {}; }
  // Foreign files this backend can import ("mizzle"), and reading one.
  virtual std::vector<std::string> import_formats() const { return {}; }
  virtual Result<pb::SchemaState> ReadImportFile(const std::string& format,
                                                 const std::string& path) const;

  // ---- targets
  // Opens a target (no request is made). InvalidArgument naming the target for bad settings.
  virtual Result<std::unique_ptr<Target>> OpenTarget(const TargetSpec& target,
                                                     const Services& services) const = 0;
  // drift with no --at compares with what the target was last deployed with (true), or with
  // the log head (false: targets whose deployments are not tracked per target).
  virtual bool drift_against_cursor() const { return true; }

  // ---- presentation
  // One line about an event of this engine ("add global index by_status") and its sign: '+'
  // adds, '-' removes, '!' replaces, '~' changes.
  virtual ChangeText DescribeChange(const pb::Event& event) const;
  // One object (a fragment of the state holding just it) as JSON, and as text for `show`.
  virtual nlohmann::ordered_json ObjectJson(const pb::SchemaState& fragment) const;
  virtual Result<std::string> ObjectText(const pb::SchemaState& fragment,
                                         const std::string& object) const;
  // One line per object for `show` of a whole schema.
  virtual std::vector<std::string> SummaryLines(const pb::SchemaState& schema) const;
  // The same for a schema held in two parts with no object in both, every object of `first`
  // sorting before every object of `second` (engine/index/state_parts.h): the lines of `first`
  // then those of `second`.
  virtual std::vector<std::string> SummaryLinesOfParts(const pb::SchemaState& first,
                                                       const pb::SchemaState& second) const;
};

}  // namespace strata::backend
