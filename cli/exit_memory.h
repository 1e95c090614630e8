// Memory a command hands back by ending the process instead of freeing it piece by piece.
//
// A whole replayed state is an arena of some 40 MB, and tearing it down runs the destructor of
// every string in it that outgrew its inline buffer (table names, ARNs, tags): 45 ms of a
// 10,000-table `diff` went to that, after the output was written. A command that keeps such
// an arena until it returns takes it from here instead; its memory goes back to the system when
// the process exits, as compilers do with their syntax trees. The arenas stay reachable from a
// global, so leak checkers do not report them. Thread-safe.
#pragma once

#include <google/protobuf/arena.h>

namespace strata::cli {

// A new arena with `options`, freed only by the process's exit.
google::protobuf::Arena* ArenaFreedByExit(const google::protobuf::ArenaOptions& options);

}  // namespace strata::cli
