// IncrementalCapture: the catalog model of one database kept between the migrations of a run and
// brought up to date after each migration by reading only what the migration wrote, so that a
// capture costs what the migration costs rather than what the database holds.
//
// Protocol (docs/postgres-history.md, "How a migration is captured"):
//  1. Each capture runs in one REPEATABLE READ transaction whose snapshot xmax becomes the next
//     capture's lower bound `lo`: every transaction id the next migration uses is >= lo.
//  2. After a migration, one query finds the catalog rows written since: `age(xmin) <= age(lo)`
//     (modular, so safe across wraparound) in every catalog the model draws on, maps them to the
//     relations they belong to (columns, defaults, indexes, constraints, triggers, rules,
//     comments, policies, inheritance, partition keys, toast tables, sequences), adds the
//     relations that depend on a changed relation, type, function, collation, operator class or
//     server (pg_depend: a rename changes their deparsed text but not their rows), and counts the
//     rows of the catalogs whose deletions leave no other trace.
//  3. A count that is not the previous count plus the new keys means rows were deleted: that
//     catalog's key list is read and compared with the one kept, and the owners of the keys that
//     came or went are added.
//  4. Those relations are read again (IntrospectOptions::only_relations) and merged into the
//     model. Schemas, extensions, types, functions and sequences are read whole, and only when
//     a row of their catalogs was written or their counts changed (skip_unscoped otherwise).
// A full read is taken instead for the first capture, after Reset, after a schema rename (every
// qualified name in it changes) and when most relations changed anyway. What changes outside the
// migrations is not seen until the next full read: drift checks find it.
// Not thread-safe; one per run, used with one database. The connection keeps a prepared
// statement of strata's (strata_capture_changes) until it closes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/introspect.h"
#include "engine/status.h"
#include "proto/postgres.pb.h"

namespace strata::postgres {

struct IncrementalCaptureOptions {
  // How to read the catalog (history tables, excluded schemas, clock); only_relations is
  // set by the capture itself and must be null here.
  IntrospectOptions introspect;
  // A capture whose candidates exceed this share of the known relations (and at least
  // kMinPartialLimit of them) reads the whole catalog instead: it would cost as much.
  double full_read_fraction = 0.5;
};

// What the last capture did, for people and benchmarks.
struct CaptureStats {
  bool full = false;
  std::string full_reason;           // why the whole catalog was read; empty when not
  size_t relations_read = 0;         // relations read again by an incremental capture
  bool unscoped_read = false;        // it read schemas, types, functions, sequences, ... too
  std::vector<std::string> recounted;  // catalogs whose key lists were read (rows deleted)
  int queries = 0;                   // statements sent, BEGIN and COMMIT included
  int64_t micros = 0;                // wall time (the introspection clock)
};

namespace incremental {

// Catalogs in which a deletion can change a relation without writing any other row. Their keys
// are kept between captures, each with the relations it belongs to.
enum class Tracked { kClass, kConstraint, kTrigger, kDescription, kPolicy, kInherits };
inline constexpr int kTrackedCount = 6;
const char* TrackedName(Tracked t);

// The relations (pg_class oids) a catalog row belongs to; 0 for none.
struct Owners {
  uint32_t first = 0;
  uint32_t second = 0;
  bool operator==(const Owners&) const = default;
};
using KeyMap = std::unordered_map<std::string, Owners>;

// What the previous capture left: every tracked catalog's keys, and schema names by oid.
struct KeyState {
  KeyMap keys[kTrackedCount];
  std::map<uint32_t, std::string> namespaces;
  std::map<std::string, int64_t> unscoped_counts;  // rows of what is read whole, by catalog
};

// What the query after a migration found.
struct Changes {
  std::vector<std::pair<std::string, Owners>> written[kTrackedCount];  // rows with a new xmin
  int64_t counts[kTrackedCount] = {};
  std::set<uint32_t> relations;  // owners of other written rows, and dependents
  std::vector<std::pair<uint32_t, std::string>> namespaces;  // written: oid, name
  // Whether anything read whole (not by relation) was written, and the rows of those catalogs.
  bool unscoped_written = false;
  std::map<std::string, int64_t> unscoped_counts;
  int64_t owned_sequences = 0;  // links of the model's sequences to the columns owning them
  std::string next_lo;  // this transaction's snapshot xmax
};

inline constexpr size_t kMinPartialLimit = 100;

// The decision from Changes alone: a full read (and why), or the relations to read and the
// catalogs whose key lists must be fetched first.
struct Plan {
  std::optional<std::string> full_reason;
  std::set<uint32_t> relations;
  std::vector<Tracked> recount;
  bool unscoped = false;  // read what is not scoped by relation again, too
};
Plan Decide(const KeyState& state, const Changes& changes);
// Whether `relations` candidates out of `known` relations are better read whole.
std::optional<std::string> TooMany(size_t relations, size_t known, double fraction);
// Records the written keys in `state` (new and rewritten rows alike).
void Remember(const Changes& changes, KeyState* state);
// Drops the `gone` keys of one catalog and adds their owners.
void Forget(Tracked t, const std::vector<std::string>& gone, KeyState* state,
            std::set<uint32_t>* relations);
// Replaces one catalog's keys with `now` and adds the owners of keys that came or went.
void Recount(Tracked t, KeyMap now, KeyState* state, std::set<uint32_t>* relations);

// Merges a read of only `relations` (`partial`, `partial_identity`) into the model: tables and
// views among `relations` are replaced (found by their previous key through `identity`), or
// removed when the read no longer has them. With `unscoped` (the read covered what is not
// scoped by relation), everything read whole replaces its previous part, sequences except
// what only a read of their relation gives (privileges); without, those parts are kept.
void Merge(const std::set<uint32_t>& relations, bool unscoped, pb::PostgresSchema partial,
           CatalogIdentity partial_identity, pb::PostgresSchema* model,
           CatalogIdentity* identity);

// Whether a fallback object stands for a table or view (read with its relation, not whole),
// and that relation's key.
bool IsRelationFallbackForCut(const pb::PgOtherObject& o);
std::string RelationKeyForCut(const pb::PgOtherObject& o);

}  // namespace incremental

class IncrementalCapture {
 public:
  explicit IncrementalCapture(IncrementalCaptureOptions options = {});

  // Before a migration: makes sure there is a model (a full read when there is none) and fixes
  // the lower bound of the transaction ids the migration will use. Errors of the connection.
  Status Begin(Connection& conn);
  // After the migration committed: brings the model up to date (or reads it whole, see
  // stats()). On error the model is dropped, so the next Begin reads it whole.
  Status Finish(Connection& conn);
  // Forgets the model: the next Begin reads the catalog whole (use when other sessions may have
  // changed it, e.g. after a lock was released).
  void Reset();

  bool has_model() const { return model_.has_value(); }
  // The catalog as of the last Begin or Finish; only while has_model().
  const pb::PostgresSchema& model() const { return *model_; }
  const CatalogIdentity& identity() const { return identity_; }
  const CaptureStats& stats() const { return stats_; }

  // What the last Finish changed, as two catalogs whose diff is the diff of the whole model
  // before and after it: after a read of some relations, only the parts it replaced (tables,
  // views and their fallback forms among those relations, under their keys before and after,
  // and with an unscoped read everything read whole), with the identities cut the same way;
  // after a full read, the whole model as it was and as it is. Valid until the next Begin,
  // Finish or Reset; null before the first Finish.
  struct Change {
    const pb::PostgresSchema& before;
    const CatalogIdentity& before_identity;
    const pb::PostgresSchema& after;
    const CatalogIdentity& after_identity;
  };
  std::optional<Change> last_change() const;

 private:
  class ReadTransaction;
  Status ReadFull(Connection& conn, std::string reason);
  Status ReadWhole(Connection& conn, ReadTransaction& tx, std::string reason);
  Status ReadChanges(Connection& conn);
  Result<QueryResult> QueryChanges(Connection& conn, ReadTransaction& tx);
  Status ReadSome(Connection& conn, std::set<uint32_t> relations, bool unscoped);
  // Whether one of `relations` is a sequence the model holds (a deleted one shows only here).
  bool HoldsSequence(const std::set<uint32_t>& relations) const;
  std::string SequencesArray() const;
  int64_t OwnedSequences() const;

  // The parts of the model (and its identity) among `keys` and `oids`, and with `unscoped`
  // everything read whole; for last_change().
  void CutPart(const std::set<std::string>& keys, const std::set<uint32_t>& oids, bool unscoped,
               pb::PostgresSchema* part, CatalogIdentity* identity);

  IncrementalCaptureOptions options_;
  std::optional<pb::PostgresSchema> model_;
  CatalogIdentity identity_;
  // last_change(): `kParts` uses all four; `kWhole` the before pair and the model itself.
  enum class ChangeKind { kNone, kParts, kWhole } change_kind_ = ChangeKind::kNone;
  pb::PostgresSchema change_before_, change_after_;
  CatalogIdentity change_before_identity_, change_after_identity_;
  incremental::KeyState keys_;
  std::string lo_;  // lower bound for the next migration's xids; empty: none yet
  CaptureStats stats_;
};

}  // namespace strata::postgres
