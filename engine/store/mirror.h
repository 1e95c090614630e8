// Mirror: a local copy of a shared log (a LogStore other processes write to) in the log
// directory's format, so every reader of the log directory (the index, history, refs) works on a
// shared log unchanged. Pull reads the store from the mirror's head on, checks each entry before
// it enters the mirror (dense seqs, its hash, its prev_hash chaining to the entry before, the
// commit's own rules) and appends the stored bytes unchanged, never re-serialized. The mirror
// only ever holds a prefix of the store: the entry the mirror ends with must be the store's
// entry at that seq, or Pull stops with Corruption naming the seq (a rewritten history, or the
// mirror of another log). Not thread-safe; processes pulling into one mirror at once are safe
// (the mirror's append is conditional: the loser re-reads and checks what the winner wrote).
#pragma once

#include <cstdint>
#include <functional>

#include "engine/status.h"
#include "engine/store/local_log_store.h"
#include "engine/store/log_store.h"

namespace strata {

struct PullOptions {
  size_t page = 256;  // entries per Read from the store, and per append to the mirror
  // Called after each page entered the mirror: (entries pulled so far, mirror head seq).
  std::function<void(uint64_t pulled, uint64_t seq)> progress;
};

struct PullReport {
  Head before;  // the mirror's head before the pull
  Head after;   // and after it (the store's head as read, unless the store moved meanwhile)
  uint64_t pulled = 0;
};

// Brings `mirror` up to `store`'s head. Corruption naming the seq when the store's entry at the
// mirror's head differs from the mirror's (or the store ends before it), when the store has a
// gap, or when an entry does not chain to the one before: nothing from that entry on enters the
// mirror (the entries before it that passed are kept). Unavailable when the store cannot be
// read (entries pulled before that are kept).
Result<PullReport> Pull(LogStore& store, LocalLogStore& mirror, const PullOptions& options);

}  // namespace strata
